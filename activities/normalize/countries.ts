import { getAlpha2Codes, getNames } from 'i18n-iso-countries';
import { COUNTRY_ALIASES } from './country-aliases';

export interface CountryLookup { code: string | null; unknown: boolean }

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

/** Names a country is known by -> its alpha-2; null for a name two countries share. */
function buildIndex(): ReadonlyMap<string, string | null> {
  const index = new Map<string, string | null>();
  const add = (name: string, code: string): void => {
    const key = matchKey(countryKey(name));
    const known = index.get(key);
    // `Congo` is listed for both Congos: such a name must stay unknown, not pick one.
    index.set(key, known === undefined || known === code ? code : null);
  };
  for (const [alpha2, alpha3] of Object.entries(getAlpha2Codes())) {
    add(alpha2, alpha2);
    add(alpha3, alpha2);
  }
  for (const [alpha2, names] of Object.entries(getNames('en', { select: 'all' }))) {
    for (const name of names) add(name, alpha2);
  }
  for (const [key, alpha2] of Object.entries(COUNTRY_ALIASES)) index.set(matchKey(key), alpha2);
  return index;
}

const INDEX = buildIndex();

/** `Korea (Republic of)`, `Micronesia, Fed. St.`: a name and a trailing qualifier. */
function splitQualifier(prepared: string): [name: string, qualifier: string] | null {
  const m = /^(.+?)\s*\(([^()]+)\)\s*$/.exec(prepared) ?? /^([^,]+),([^,]+)$/.exec(prepared);
  return m ? [m[1], m[2]] : null;
}

function resolve(raw: string): CountryLookup {
  const prepared = prepare(raw);
  const key = collapse(prepared);
  if (PLACEHOLDERS.has(key)) return NO_VALUE;
  const parts = splitQualifier(prepared);
  // Most specific reading first: as written, then "Y X" (`Republic of Korea`), and only then
  // the name without its qualifier (`Myanmar (Burma)` -> `Myanmar`), which loses information.
  const forms = parts ? [key, collapse(`${parts[1]} ${parts[0]}`), collapse(parts[0])] : [key];
  for (const form of forms) {
    const m = matchKey(form);
    for (const candidate of [m, m.replace(STATE_FORM, '')]) {
      const code = INDEX.get(candidate);
      if (code) return Object.freeze({ code, unknown: false });
    }
  }
  return UNKNOWN;
}

// The same few hundred names repeat millions of times; the bound only stops junk values
// (scanner traffic) from growing the cache without limit.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, CountryLookup>();

/** ''/whitespace/'-' (and similar placeholders such as 'n/a', 'unknown', '--') -> {code:null, unknown:false}: no value was given.
 *  A recognised name -> {code:'XX', unknown:false}. A name never seen -> {code:null, unknown:true} (the caller flags it `unknown_country`, keeps the row). */
export function lookupCountry(raw: string | null | undefined): CountryLookup {
  if (raw == null) return NO_VALUE;
  let result = cache.get(raw);
  if (result === undefined) {
    result = resolve(raw);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(raw, result);
  }
  return result;
}
