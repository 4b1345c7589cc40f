import { judge, parentKeys } from './object-reconciler.repository';

describe('which row owns an object', () => {
  it('finds every key an object may be derived from (a stream segment under its artifact key)', () => {
    expect(parentKeys('r/ab/cd.ts/v0/1.ts')).toEqual(['r/ab/cd.ts/v0', 'r/ab/cd.ts', 'r/ab', 'r']);
    expect(parentKeys('plain')).toEqual([]);
  });

  it('keeps an object some live row references, even when a dead row also does', () => {
    expect(judge([{ artifact_id: 'a1', status: 'deleted', erased: null }, { artifact_id: 'a2', status: 'stored', erased: null }])).toEqual({ artifactId: 'a2', live: true, cause: null });
    for (const status of ['pending', 'stored', 'failed']) expect(judge([{ artifact_id: 'a', status, erased: null }]).live).toBe(true);
    expect(judge([{ artifact_id: null, status: null, erased: false }]).live).toBe(true);
  });

  it('lets an object go when its row is deleted or discarded, its person erased, or it has no row', () => {
    expect(judge([])).toEqual({ artifactId: null, live: false, cause: 'no_row' });
    expect(judge([{ artifact_id: 'a', status: 'deleted', erased: null }])).toEqual({ artifactId: 'a', live: false, cause: 'row_deleted' });
    expect(judge([{ artifact_id: 'a', status: 'discarded', erased: null }])).toEqual({ artifactId: 'a', live: false, cause: 'row_discarded' });
    expect(judge([{ artifact_id: null, status: null, erased: true }])).toEqual({ artifactId: null, live: false, cause: 'evidence_of_erased_person' });
  });
});
