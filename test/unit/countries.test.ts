import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { isValid } from 'i18n-iso-countries';
import { countryKey, lookupCountry } from '../../activities/normalize/countries';
import { COUNTRY_ALIASES } from '../../activities/normalize/country-aliases';

const DATA_DIR = path.resolve(__dirname, '../../../shared/data/brokerchooser');

/** Distinct values of one column; the files are CRLF, unquoted, with a header line. */
function distinctColumn(file: string, separator: string, column: number): Set<string> {
  const lines = fs.readFileSync(path.join(DATA_DIR, file), 'utf8').split('\r\n').slice(1);
  return new Set(lines.filter((line) => line !== '').map((line) => line.split(separator)[column]));
}

const COLUMNS = {
  'conversions country_name': distinctColumn('brokerchooser_conversions.csv', ';', 2),
  'broker ip_country': distinctColumn('broker_data.csv', ',', 2),
  'broker country_residency': distinctColumn('broker_data.csv', ',', 1),
};

const NO_VALUE = { code: null, unknown: false };
const UNKNOWN = { code: null, unknown: true };
const code = (raw: string): string | null => lookupCountry(raw).code;

describe('alias table', () => {
  const entries = Object.entries(COUNTRY_ALIASES);

  it('has keys in countryKey form, so every entry can be reached', () => {
    expect(entries.filter(([key]) => countryKey(key) !== key)).toEqual([]);
  });

  it('maps every entry to its code through lookupCountry', () => {
    const wrong = entries.filter(([key, alpha2]) => {
      const r = lookupCountry(key);
      return r.code !== alpha2 || r.unknown;
    });
    expect(wrong).toEqual([]);
  });

  it('uses only valid alpha-2 codes (Kosovo as XK)', () => {
    const invalid = entries.filter(([, alpha2]) => !/^[A-Z]{2}$/.test(alpha2) || !(isValid(alpha2) || alpha2 === 'XK'));
    expect(invalid).toEqual([]);
  });
});

describe('country names in the shared data', () => {
  for (const [column, names] of Object.entries(COLUMNS)) {
    it(`maps every ${column} value to a code (empty and '-' are no value)`, () => {
      expect(names.size).toBeGreaterThan(100);
      const wrong: Array<[string, unknown]> = [];
      for (const name of names) {
        const r = lookupCountry(name);
        const noValue = name.trim() === '' || name.trim() === '-';
        if (noValue ? r.code !== null || r.unknown : r.code === null || r.unknown) wrong.push([name, r]);
      }
      expect(wrong).toEqual([]);
    });
  }

  // Every name below occurs in the data; checked, so the table cannot drift into invented names.
  const expected: Array<[string, string]> = [
    ['United States', 'US'], ['United States of America', 'US'],
    ['United Kingdom', 'GB'], ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
    ['South Korea', 'KR'], ['Republic of Korea', 'KR'],
    ['Côte d’Ivoire', 'CI'], ["Cote D'ivoire", 'CI'], ["Cote d'Ivoire", 'CI'],
    ['West Bank', 'PS'], ['Gaza Strip', 'PS'], ['Occupied Palestinian Territory', 'PS'], ['Palestine', 'PS'],
    [' Sint Eustatius and Saba', 'BQ'], ['Bonaire', 'BQ'], ['Caribbean Netherlands', 'BQ'],
    ['Laos', 'LA'], ["Lao People's Democratic Republic", 'LA'], ['Lao People`s Democratic Republic', 'LA'],
    ['Taiwan', 'TW'], ['Taiwan (Province of China)', 'TW'], ['Taiwan (Republic of China)', 'TW'],
    ['Hong Kong', 'HK'], ['Hong Kong Special Administrative Region of China', 'HK'],
    ['Macau', 'MO'], ['Macao', 'MO'], ['Macao Special Administrative Region of China', 'MO'],
    ['Macedonia', 'MK'], ['North Macedonia', 'MK'],
    ['Czech Republic', 'CZ'], ['Czechia', 'CZ'],
    ['Swaziland', 'SZ'], ['Eswatini', 'SZ'],
    ['British Virgin Islands', 'VG'], ['Virgin Islands (British)', 'VG'],
    ['U.S. Virgin Islands', 'VI'], ['Virgin Islands (U.S.)', 'VI'],
    ['Micronesia, Fed. St.', 'FM'], ['Micronesia (Federated States of)', 'FM'],
    ['Saint Martin (French Part)', 'MF'], ['Sint Maarten (Dutch Part)', 'SX'], ['Curacao', 'CW'],
    ['Saint Barthelemy', 'BL'], ['Reunion', 'RE'],
    ['Tanzania', 'TZ'], ['United Republic of Tanzania', 'TZ'],
    ['Venezuela', 'VE'], ['Venezuela (Bolivarian Republic of)', 'VE'],
    ['Bolivia', 'BO'], ['Bolivia (Plurinational State of)', 'BO'],
    ['Moldova', 'MD'], ['Moldova (Republic of)', 'MD'], ['Republic of Moldova', 'MD'],
    ['Vietnam', 'VN'], ['Viet Nam', 'VN'],
    ['Russia', 'RU'], ['Russian Federation', 'RU'],
    ['Syria', 'SY'], ['Iran', 'IR'],
    ['Democratic Republic of the Congo', 'CD'], ['Congo (Democratic Republic of the)', 'CD'],
    ['Republic of the Congo', 'CG'],
    ['St. Kitts & Nevis', 'KN'], ['Saint Kitts and Nevis', 'KN'], ['Trinidad & Tobago', 'TT'],
  ];

  it('gives the expected code for names from each naming scheme', () => {
    const everyName = new Set(Object.values(COLUMNS).flatMap((names) => [...names]));
    expect(expected.filter(([name]) => !everyName.has(name))).toEqual([]);
    expect(expected.map(([name]) => [name, code(name)])).toEqual(expected);
  });

  it('gives the expected code for names the README documents but this cut lacks', () => {
    const documented: Array<[string, string]> = [['Korea (Republic of)', 'KR'], ['Myanmar (Burma)', 'MM']];
    expect(documented.map(([name]) => [name, code(name)])).toEqual(documented);
  });
});

describe('normalization', () => {
  it('builds the documented key', () => {
    expect(countryKey('  Côte d’Ivoire ')).toBe("cote d'ivoire");
    expect(countryKey('Lao People`s Democratic Republic')).toBe("lao people's democratic republic");
    expect(countryKey('St. Kitts & Nevis')).toBe('saint kitts and nevis');
    expect(countryKey('St Lucia')).toBe('saint lucia');
    expect(countryKey('Guinea-Bissau')).toBe('guinea bissau');
    expect(countryKey("'Peru'")).toBe('peru');
    // "St." that ends the name is an abbreviation of States, not of Saint.
    expect(countryKey('Micronesia, Fed. St.')).toBe('micronesia fed st');
  });

  // Each rule is shown on names the alias table does not list, so the rule itself is tested.
  const ruleExamples: Record<string, Array<[string, string]>> = {
    'case': [['GERMANY', 'DE'], ['germany', 'DE'], ['gErMaNy', 'DE']],
    'accents': [['México', 'MX'], ['Sénégal', 'SN'], ['São Tomé & Príncipe', 'ST']],
    'curly and backtick apostrophes': [
      ['People’s Republic of China', 'CN'], ['People`s Republic of China', 'CN'], ['Peoples Republic of China', 'CN'],
    ],
    '& and `and`': [['Bosnia & Herzegovina', 'BA'], ['Antigua and Barbuda', 'AG'], ['Turks & Caicos Islands', 'TC']],
    'St. and Saint': [
      ['St. Lucia', 'LC'], ['St Lucia', 'LC'], ['ST. LUCIA', 'LC'], ['St.Lucia', 'LC'],
      ['St. Pierre & Miquelon', 'PM'], ['St. Vincent & Grenadines', 'VC'],
    ],
    'spaces': [['  France  ', 'FR'], ['\tItaly ', 'IT'], ['New   Zealand', 'NZ']],
    'leading or missing "the"': [['The Gambia', 'GM'], ['Saint Vincent and Grenadines', 'VC'], ['The Netherlands', 'NL']],
    '"X (Y of)"': [['Iran (Islamic Republic of)', 'IR'], ['Norway (Kingdom of)', 'NO'], ['Bahamas (Commonwealth of the)', 'BS']],
    '"X, Y"': [['Iran, Islamic Republic of', 'IR'], ['Spain, Kingdom of', 'ES'], ['Sudan, South', 'SS'], ['Bahamas, The', 'BS']],
    '"Republic of X"': [['Republic of Poland', 'PL'], ['The Republic of Ghana', 'GH'], ['Federal Democratic Republic of Ethiopia', 'ET']],
    'codes given as the value': [['DE', 'DE'], ['deu', 'DE'], ['FRA', 'FR']],
  };

  for (const [rule, examples] of Object.entries(ruleExamples)) {
    it(`matches across ${rule}`, () => {
      expect(examples.filter(([name]) => countryKey(name) in COUNTRY_ALIASES)).toEqual([]);
      expect(examples.map(([name]) => [name, code(name)])).toEqual(examples);
    });
  }

  it('resolves Kosovo and North Korea spellings', () => {
    expect(lookupCountry('Kosovo')).toEqual({ code: 'XK', unknown: false });
    expect(lookupCountry('Republic of Kosovo')).toEqual({ code: 'XK', unknown: false });
    expect(code('North Korea')).toBe('KP');
    expect(code("Korea (Democratic People's Republic of)")).toBe('KP');
    expect(code('Korea, Dem. People’s Rep.')).toBe('KP');
  });

  it('leaves names that mean more than one country unknown', () => {
    // `Congo (Africa)`: dropping the qualifier must not turn an ambiguous name into a guess.
    for (const name of ['Congo', 'Korea', 'Virgin Islands', 'Congo (Africa)']) {
      expect(lookupCountry(name)).toEqual(UNKNOWN);
    }
  });
});

describe('unknown and missing values', () => {
  it('flags names never seen as unknown', () => {
    for (const name of ['Atlantis', 'Peace', "'; DROP TABLE x;--", 'Stockholm']) {
      expect(lookupCountry(name)).toEqual(UNKNOWN);
    }
  });

  it('treats empty values and placeholders as no value', () => {
    for (const raw of ['', '  ', '-', '--', 'n/a', '#N/A', 'unknown', '(not set)', null, undefined]) {
      expect(lookupCountry(raw)).toEqual(NO_VALUE);
    }
  });
});

describe('cache', () => {
  it('answers more than a million cached lookups per second', () => {
    const names = [...new Set(Object.values(COLUMNS).flatMap((set) => [...set]))];
    for (const name of names) lookupCountry(name);
    const rounds = Math.ceil(2_000_000 / names.length);
    let found = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) {
      for (const name of names) if (lookupCountry(name).code !== null) found += 1;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    expect(found).toBeGreaterThan(0);
    expect((rounds * names.length) / seconds).toBeGreaterThan(1_000_000);
  });

  it('returns the same answer object for a repeated name', () => {
    expect(lookupCountry('Trinidad & Tobago')).toBe(lookupCountry('Trinidad & Tobago'));
  });
});
