import type { CountryScheme } from './countries';

/**
 * Country names a naming scheme uses that `i18n-iso-countries` does not know (or knows only in
 * another spelling), mapped to ISO 3166-1 alpha-2. Everything the package knows is left to it:
 * the unit test fails on an entry the package already resolves to the same code.
 *
 * Keys are written as `countryKey` returns them (lower case, no accents, `&` as `and`, `St.` as
 * `saint`); the unit test enforces that, so every key is reachable. A name that means two
 * countries in a scheme stays out of that scheme's table: it must stay unknown, not be guessed.
 * Nowhere is a bare `Korea` or `Virgin Islands` one country.
 */

// In every scheme: the "Republic of X" rule of countries.ts would send Taiwan's official name
// to CN; systems that cannot store an apostrophe replace it with a space.
const EVERY_SCHEME = {
  'republic of china': 'TW',
  'cote d ivoire': 'CI',
};

// Google Analytics' country names: CLDR's English short names (`Congo - Brazzaville`,
// `St. Martin`, `Palestinian Territories`), older ones it used before a rename (`Macedonia`,
// `Swaziland`), World Bank forms (`Korea, Rep.`, `Congo, Dem. Rep.`) and the regions of one
// geo lookup fanned out (`West Bank`, `Gaza Strip`). A bare `Congo` is not a name of this
// scheme (it names the two `Republic of the Congo` and `Democratic Republic of the Congo`),
// so one that arrives could be either: it stays unknown.
const WEB_ANALYTICS = {
  'west bank': 'PS',
  'gaza strip': 'PS',
  'gaza': 'PS',
  'west bank and gaza': 'PS',
  'palestinian territories': 'PS',
  'congo brazzaville': 'CG',
  'congo rep': 'CG',
  'congo kinshasa': 'CD',
  'congo dem rep': 'CD',
  'korea rep': 'KR',
  "korea dem people's rep": 'KP',
  'macedonia': 'MK',
  'swaziland': 'SZ',
  'micronesia': 'FM',
  'laos': 'LA',
  'lao pdr': 'LA',
  'syria': 'SY',
  'brunei': 'BN',
  'moldova': 'MD',
  'macau': 'MO',
  'macao sar china': 'MO',
  'hong kong sar china': 'HK',
  'kyrgyz republic': 'KG',
  'slovak republic': 'SK',
  'cabo verde': 'CV',
  'caribbean netherlands': 'BQ',
  'saint martin': 'MF',
  'sint maarten': 'SX',
  'vatican city': 'VA',
  'falkland islands': 'FK',
  'heard and mcdonald islands': 'HM',
  'us outlying islands': 'UM',
};

// ISO 3166 English short names, the way geo-IP databases write them (`Korea (Republic of)`,
// `Cote D'ivoire`), including names ISO used before a rename. Their qualified forms
// (`Bolivia (Plurinational State of)`) resolve by the rules of countries.ts.
const ISO_3166 = {
  'viet nam': 'VN',
  "democratic people's republic of korea": 'KP',
  'holy see': 'VA',
  'cabo verde': 'CV',
  'united kingdom of great britain and northern ireland': 'GB',
  'former yugoslav republic of macedonia': 'MK',
  'swaziland': 'SZ',
  'saint helena ascension and tristan da cunha': 'SH',
  // `Bonaire, Sint Eustatius and Saba` has a comma: the broker's comma-separated export
  // delivers each half as a value of its own (` Sint Eustatius and Saba` with its space).
  'bonaire': 'BQ',
  'sint eustatius and saba': 'BQ',
};

// What users type: any scheme's names, plus the parts of the United Kingdom people say they
// live in, and common and older names. Bare `Congo` and bare `Korea` mean either country.
const TYPED = {
  'england': 'GB',
  'scotland': 'GB',
  'wales': 'GB',
  'northern ireland': 'GB',
  'britain': 'GB',
  'holland': 'NL',
  'dprk': 'KP',
  'dr congo': 'CD',
  'drc': 'CD',
  'burma': 'MM',
  'east timor': 'TL',
  'vatican': 'VA',
  'palestinian territory': 'PS',
  'occupied palestinian territory': 'PS',
  'occupied palestinian territories': 'PS',
  'hong kong sar': 'HK',
  'hong kong special administrative region of china': 'HK',
  'macao sar': 'MO',
  'macau sar': 'MO',
  'macao special administrative region of china': 'MO',
  'macau special administrative region of china': 'MO',
  'saint barts': 'BL',
  'saint barths': 'BL',
  'chinese taipei': 'TW',
  'faeroe islands': 'FO',
  'falklands': 'FK',
  'aland': 'AX',
};

export const SCHEME_ALIASES: Readonly<Record<CountryScheme, Readonly<Record<string, string>>>> = Object.freeze({
  'web-analytics': { ...EVERY_SCHEME, ...WEB_ANALYTICS },
  // ISO 3166's short name of CG is `Congo`; CD's is `Congo (the Democratic Republic of the)`.
  'iso-3166': { ...EVERY_SCHEME, ...ISO_3166, 'congo': 'CG' },
  'free-text': { ...EVERY_SCHEME, ...WEB_ANALYTICS, ...ISO_3166, ...TYPED },
});
