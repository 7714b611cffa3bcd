import { describe, expect, it } from 'vitest';
import { brokerRecordId } from '../../activities/normalize/record-id';

describe('brokerRecordId', () => {
  it('is the id PostgreSQL made of the same row: the registration time, then md5 of the fields and the rank joined by chr(31)', () => {
    // left(md5(concat_ws(chr(31), '1711929601', 'Côte d''Ivoire', 'CI', '#REF!', '2')), 16), as the server computes it
    const row = { timestampRaw: '1711929601', residencyRaw: "Côte d'Ivoire", ipCountryRaw: 'CI', scoreRaw: '#REF!', registeredAt: new Date(1711929601_000) };
    expect(brokerRecordId(row, 2)).toBe('br_20240401T000001_62e4eb75a238203e');
  });

  it('differs by rank, so identical rows stay two records', () => {
    const row = { timestampRaw: '1711929601', residencyRaw: 'Germany', ipCountryRaw: 'DE', scoreRaw: '3', registeredAt: new Date(1711929601_000) };
    expect(brokerRecordId(row, 1)).not.toBe(brokerRecordId(row, 2));
  });
});
