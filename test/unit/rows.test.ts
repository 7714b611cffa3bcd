import { describe, expect, it } from 'vitest';
import { normalizeBrokerRecord, normalizeConversion, normalizeMapping, type RawInput } from '../../activities/normalize/rows';

const conv = (over: Partial<Record<string, string>> = {}, fieldCount = 7): RawInput => ({
  values: {
    id: '5200841',
    session_id: '71100492',
    country_name: 'Trinidad & Tobago',
    is_mobile: '0',
    ui_element: 'popularity-box-whole-row-link',
    created_at: '2024-04-01 00:01:44',
    measurement_category: '01counpg/02notrel/03notrel',
    ...over,
  },
  fieldCount,
  headerFields: 7,
});

const broker = (over: Partial<Record<string, string>> = {}): RawInput => ({
  values: { timestamp: '1713716146', country_residency: '', ip_country: 'Slovenia', important_score: '0', ...over },
  fieldCount: 4,
  headerFields: 4,
});

describe('normalizeConversion', () => {
  it('types a good row and maps the country', () => {
    const r = normalizeConversion(conv());
    expect(r).toEqual({
      ok: true,
      row: {
        conversionId: '5200841',
        sessionId: '71100492',
        clickedAt: new Date('2024-04-01T00:01:44Z'),
        countryName: 'Trinidad & Tobago',
        countryCode: 'TT',
        isMobile: false,
        uiElement: 'popularity-box-whole-row-link',
        measurementCategory: '01counpg/02notrel/03notrel',
        flags: [],
      },
    });
  });
  it('keeps injection payloads verbatim and flags them', () => {
    const r = normalizeConversion(conv({ ui_element: '"><script>alert(1)</script>' }));
    expect(r.ok && r.row.uiElement).toBe('"><script>alert(1)</script>');
    expect(r.ok && r.row.flags).toEqual(['suspicious_payload']);
  });
  it('keeps an unknown country, flagged, and treats - as no country', () => {
    const unknown = normalizeConversion(conv({ country_name: 'Atlantis' }));
    expect(unknown.ok && [unknown.row.countryCode, unknown.row.flags]).toEqual([null, ['unknown_country']]);
    const none = normalizeConversion(conv({ country_name: '-' }));
    expect(none.ok && [none.row.countryCode, none.row.flags]).toEqual([null, []]);
  });
  it('gives every problem of a bad row in one reason', () => {
    const r = normalizeConversion(conv({ id: ' ', is_mobile: 'x', created_at: 'never' }));
    expect(r).toEqual({
      ok: false,
      reason: "id: is empty (got ' '); is_mobile: expected 0 or 1, got 'x'; created_at: expected 'YYYY-MM-DD HH:MM:SS' (UTC), got 'never'",
    });
  });
  it('refuses a row with the wrong number of fields', () => {
    expect(normalizeConversion(conv({}, 9))).toEqual({ ok: false, reason: 'expected 7 fields as in the header, got 9' });
  });
  it('quarantines a row with a control character in a field, naming the column and the character', () => {
    expect(normalizeConversion(conv({ ui_element: 'desktop\u0001-top5-box' }))).toEqual({ ok: false, reason: 'control_character in ui_element (U+0001)' });
    // A lone CR is inside the field: the CR of a CRLF line end never reaches one.
    expect(normalizeConversion(conv({ country_name: 'Germany\r' }))).toEqual({ ok: false, reason: 'control_character in country_name (U+000D)' });
    expect(normalizeBrokerRecord(broker({ important_score: '0\u001b' }))).toEqual({ ok: false, reason: 'control_character in important_score (U+001B)' });
  });
  it('quarantines a row whose field held a NUL, and names every column', () => {
    const input = conv({ session_id: '711\u0007', ui_element: 'desktop\u0000top5\u0000box' });
    expect(normalizeConversion(input)).toEqual({ ok: false, reason: 'control_character in session_id (U+0007), ui_element (U+0000)' });
  });
  it('keeps a tab inside a field and a ␀ the file itself delivered as data', () => {
    const r = normalizeConversion(conv({ ui_element: 'desktop\ttop5 ␀' }));
    expect(r.ok && r.row.uiElement).toBe('desktop\ttop5 ␀');
  });
});

describe('normalizeBrokerRecord', () => {
  it('types a good row', () => {
    const r = normalizeBrokerRecord(broker({ country_residency: 'Republic of Korea', ip_country: 'Korea (Republic of)', important_score: '10' }));
    expect(r.ok && r.row).toMatchObject({
      timestampRaw: '1713716146',
      registeredAt: new Date('2024-04-21T16:15:46Z'),
      residencyCountryCode: 'KR',
      ipCountryCode: 'KR',
      importantScore: 10,
      flags: [],
    });
  });
  it('keeps #REF! as a null score flagged invalid_score, never 0', () => {
    const r = normalizeBrokerRecord(broker({ important_score: '#REF!' }));
    expect(r.ok && [r.row.importantScore, r.row.flags]).toEqual([null, ['invalid_score']]);
  });
  it('maps the leading-space and placeholder countries of the broker scheme', () => {
    const r = normalizeBrokerRecord(broker({ ip_country: ' Sint Eustatius and Saba' }));
    expect(r.ok && r.row.ipCountryCode).toBe('BQ');
    const dash = normalizeBrokerRecord(broker({ ip_country: '-' }));
    expect(dash.ok && [dash.row.ipCountryCode, dash.row.flags]).toEqual([null, []]);
  });
  it('reads each country column in its own naming scheme', () => {
    // Only ISO calls the Republic of the Congo plain `Congo`; only people write `England`.
    const r = normalizeBrokerRecord(broker({ ip_country: 'Congo', country_residency: 'England' }));
    expect(r.ok && [r.row.ipCountryCode, r.row.residencyCountryCode, r.row.flags]).toEqual(['CG', 'GB', []]);
    const typed = normalizeBrokerRecord(broker({ ip_country: 'England', country_residency: 'Congo' }));
    expect(typed.ok && [typed.row.ipCountryCode, typed.row.residencyCountryCode, typed.row.flags]).toEqual([null, null, ['unknown_country']]);
    const clicks = ['Congo - Brazzaville', 'Congo', 'England'].map((name) => normalizeConversion(conv({ country_name: name })));
    expect(clicks.map((c) => c.ok && c.row.countryCode)).toEqual(['CG', null, null]);
  });
  it('quarantines a bad timestamp with its reason', () => {
    expect(normalizeBrokerRecord(broker({ timestamp: 'abc' }))).toEqual({ ok: false, reason: "timestamp: expected Unix epoch seconds, got 'abc'" });
  });
});

describe('normalizeMapping', () => {
  it('trims and requires both columns', () => {
    const input = (page: string, m: string): RawInput => ({ values: { page_category: page, measurement_category: m }, fieldCount: 2, headerFields: 2 });
    expect(normalizeMapping(input(' Home page ', '01homepa/02notrel/03notrel'))).toEqual({
      ok: true,
      row: { pageCategory: 'Home page', measurementCategory: '01homepa/02notrel/03notrel' },
    });
    expect(normalizeMapping(input('', 'x')).ok).toBe(false);
  });
});
