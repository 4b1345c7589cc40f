import { expiredPageQuery, requestedPageQuery } from './due-artifacts.repository';

const at = new Date('2026-12-02T15:00:00Z');
const cursor = { at: '2026-12-01 10:00:00.123+00', id: '00000000-0000-0000-0000-000000000001' };
const placeholders = (sql: string) => [...new Set(sql.match(/\$\d+/g) ?? [])].map((p) => Number(p.slice(1))).sort((a, b) => a - b);

describe('the sweep page queries', () => {
  it.each([
    ['first expired page', expiredPageQuery(at, null)],
    ['later expired page', expiredPageQuery(at, cursor)],
    ['first expired page of a queueing sweep', expiredPageQuery(at, null, at)],
    ['later expired page of a queueing sweep', expiredPageQuery(at, cursor, at, 10)],
    ['first requested page', requestedPageQuery(null)],
    ['later requested page of a queueing sweep', requestedPageQuery(cursor, at)],
  ])('numbers every parameter of the %s once, in order', (_, { sql, params }) => {
    expect(placeholders(sql)).toEqual(params.map((_, i) => i + 1));
  });

  it('walks the due index in its own order, from the cursor, leaving out what holds cover', () => {
    const { sql, params } = expiredPageQuery(at, cursor, null, 1000);
    expect(sql).toMatch(/a\.status = 'stored' AND a\.expires_at <= \$1/);
    expect(sql).toMatch(/\(a\.expires_at, a\.id\) > \(\$2::timestamptz, \$3::uuid\)/);
    expect(sql).toMatch(/ORDER BY a\.expires_at, a\.id\s+LIMIT \$4/);
    expect(sql).toMatch(/AND NOT COALESCE\(\(\s*a\.recording_id::text IN \(SELECT h\.target_id FROM holds h/);
    expect(params).toEqual([at, cursor.at, cursor.id, 1000]);
  });
});
