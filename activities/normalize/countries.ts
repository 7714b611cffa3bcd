import { getAlpha2Codes, getNames } from 'i18n-iso-countries';
import { SCHEME_ALIASES } from './country-aliases';

export interface CountryLookup { code: string | null; unknown: boolean }

/**
 * The naming scheme a column writes its countries in. A name is read in its column's scheme:
 * in ISO 3166 short names a bare `Congo` is the Republic of the Congo, in web-analytics naming
 * and in what users type it could be either Congo.
 * - `web-analytics`: conversions `country_name`, Google Analytics' names (CLDR English with
 *   some World Bank forms: `Trinidad & Tobago`, `Myanmar (Burma)`, `Micronesia, Fed. St.`).
 * - `iso-3166`: broker `ip_country`, ISO 3166 English short names as geo-IP databases write
 *   them (`Viet Nam`, `Korea (Republic of)`, `Congo (Democratic Republic of the)`).
 * - `free-text`: broker `country_residency`, typed by users at registration.
 */
export type CountryScheme = 'web-analytics' | 'iso-3166' | 'free-text';

export const COUNTRY_SCHEMES: readonly CountryScheme[] = ['web-analytics', 'iso-3166', 'free-text'];

const NO_VALUE: CountryLookup = Object.freeze({ code: null, unknown: false });
const UNKNOWN: CountryLookup = Object.freeze({ code: null, unknown: true });

// Missing-value markers of spreadsheets (`#N/A`), analytics tools (`(not set)`), R/pandas
// exports and geo-IP vendors (`XX`, `ZZ`). `NA` is read as missing rather than as Namibia's
// alpha-2: a bare code in a name column is far less likely than an exported missing value.
const PLACEHOLDERS = new Set([
  '', 'n a', 'na', 'nan', 'none', 'null', 'nil', 'undefined', 'unknown',
  'not set', 'not available', 'not applicable', 'xx', 'zz',
]);

// Every apostrophe look-alike the sources use (curly quotes, the backtick of the residency
// column, acute accent, modifier letter, prime) becomes one character before comparing.
const APOSTROPHES = /[\u2018\u2019\u201B\u0060\u00B4\u02BC\u2032]/g;

// "Republic of Moldova", "Plurinational State of Bolivia", "Kingdom of Eswatini": the form of
// the state in front of its name, up to two words of adjectives before it.
const STATE_FORM =
  /^(?:[a-z]+ ){0,2}(?:republic|kingdom|states?|commonwealth|principality|sultanate|emirate|federation|duchy|union) of (?=[a-z])/;

/** Lower case, accents stripped, apostrophes unified, `&` and `St.` spelled out; commas and
 *  parentheses are kept because the retry rules read the name's structure from them. */
function prepare(raw: string): string {
  return raw
    .replace(APOSTROPHES, "'")
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Only when a name follows: `Micronesia, Fed. St.` ends in "St." meaning States.
    .replace(/\bst(?:\.\s*|\s+)(?=[a-z])/g, 'saint ');
}

function collapse(prepared: string): string {
  return prepared
    .replace(/[^a-z0-9']+/g, ' ')
    // An apostrophe counts only inside a word; around one it is a quote (`'Peru'`).
    .replace(/(?<![a-z0-9])'|'(?![a-z0-9])/g, ' ')
    .replace(/ +/g, ' ')
    .trim();
}

/** The key names are compared on: NFKD, accents stripped, lower case, curly/backtick apostrophes to ', `&` -> `and`, `St.`/`St ` -> `saint`, punctuation and repeated spaces collapsed, trimmed. */
export function countryKey(raw: string): string {
  return collapse(prepare(raw));
}

/**
 * Spellings of the same name that `countryKey` keeps apart but nobody means differently:
 * `People's`/`Peoples`, with or without `the` (`The Bahamas`, `Saint Vincent and the
 * Grenadines`), dotted initials or not (`U.S.A.`, `USA`).
 */
function matchKey(key: string): string {
  return key
    .replace(/'/g, '')
    .replace(/(^| )the(?= |$)/g, '')
    .replace(/\b([a-z]) (?=[a-z]\b)/g, '$1')
    .trim();
}

/** `Moldova, Republic of`, `Micronesia, Fed. St.`: a name, a comma and what qualifies it. */
const INVERTED = /^([^,]+),([^,]+)$/;

/** Names the package knows a country by (and its codes) -> alpha-2; null for a name it gives two countries. */
function packageIndex(): Map<string, string | null> {
  const index = new Map<string, string | null>();
  const add = (name: string, code: string): void => {
    const key = matchKey(countryKey(name));
    const known = index.get(key);
    // `Congo` is listed for both Congos: without a scheme that settles it, it stays unknown.
    index.set(key, known === undefined || known === code ? code : null);
  };
  for (const [alpha2, alpha3] of Object.entries(getAlpha2Codes())) {
    add(alpha2, alpha2);
    add(alpha3, alpha2);
  }
  for (const [alpha2, names] of Object.entries(getNames('en', { select: 'all' }))) {
    for (const name of names) {
      add(name, alpha2);
      // The package inverts some names (`Moldova, Republic of`); they are written in order too.
      const inverted = INVERTED.exec(name);
      if (inverted) add(`${inverted[2]} ${inverted[1]}`, alpha2);
    }
  }
  return index;
}

const PACKAGE_INDEX = packageIndex();

/** Names that mean two countries outside a scheme that settles them: never reached by dropping a qualifier. */
const AMBIGUOUS = new Set([...PACKAGE_INDEX].filter(([, code]) => code === null).map(([key]) => key));

interface Scheme {
  /** The package's names overlaid with the scheme's own. */
  index: ReadonlyMap<string, string | null>;
  cache: Map<string, CountryLookup>;
}

function scheme(name: CountryScheme): Scheme {
  const index = new Map(PACKAGE_INDEX);
  for (const [key, alpha2] of Object.entries(SCHEME_ALIASES[name])) index.set(matchKey(key), alpha2);
  return { index, cache: new Map() };
}

const SCHEMES = Object.fromEntries(COUNTRY_SCHEMES.map((name) => [name, scheme(name)])) as Record<CountryScheme, Scheme>;

/** `Korea (Republic of)`, `Micronesia, Fed. St.`: a name and a trailing qualifier. */
function splitQualifier(prepared: string): [name: string, qualifier: string] | null {
  const m = /^(.+?)\s*\(([^()]+)\)\s*$/.exec(prepared) ?? INVERTED.exec(prepared);
  return m ? [m[1], m[2]] : null;
}

/** The code of one reading; `Republic of X` also as plain `X` where the reading can start with a state form. */
function codeOf(index: ReadonlyMap<string, string | null>, form: string, stateForm: boolean): string | null {
  const m = matchKey(form);
  return index.get(m) ?? (stateForm ? index.get(m.replace(STATE_FORM, '')) : null) ?? null;
}

function resolve(raw: string, index: ReadonlyMap<string, string | null>): CountryLookup {
  const prepared = prepare(raw);
  const key = collapse(prepared);
  if (PLACEHOLDERS.has(key)) return NO_VALUE;
  const parts = splitQualifier(prepared);
  // Most specific reading first: as written, then "Y X" (`Republic of Korea`), and only then
  // the name without its qualifier (`Myanmar (Burma)` -> `Myanmar`), which loses information:
  // `Congo (Africa)` must not become whichever Congo the scheme calls plain `Congo`. A name
  // with its qualifier behind it does not start with a state form: `Taiwan (Republic of
  // China)` is not "Taiwan Republic of" China.
  const readings: Array<[string, boolean]> = parts ? [[key, false], [collapse(`${parts[1]} ${parts[0]}`), true]] : [[key, true]];
  for (const [form, stateForm] of readings) {
    const code = codeOf(index, form, stateForm);
    if (code) return Object.freeze({ code, unknown: false });
  }
  const bare = parts && collapse(parts[0]);
  const code = bare && !AMBIGUOUS.has(matchKey(bare)) ? codeOf(index, bare, true) : null;
  return code ? Object.freeze({ code, unknown: false }) : UNKNOWN;
}

// The same few hundred names repeat millions of times; the bound only stops junk values
// (scanner traffic) from growing a scheme's cache without limit.
const CACHE_LIMIT = 10_000;

/** ''/whitespace/'-' (and similar placeholders such as 'n/a', 'unknown', '--') -> {code:null, unknown:false}: no value was given.
 *  A name recognised in `scheme` -> {code:'XX', unknown:false}. Any other name, or one that means two countries in `scheme`
 *  -> {code:null, unknown:true} (the caller flags it `unknown_country`, keeps the row). */
export function lookupCountry(raw: string | null | undefined, scheme: CountryScheme): CountryLookup {
  if (raw == null) return NO_VALUE;
  const { index, cache } = SCHEMES[scheme];
  let result = cache.get(raw);
  if (result === undefined) {
    result = resolve(raw, index);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(raw, result);
  }
  return result;
}
