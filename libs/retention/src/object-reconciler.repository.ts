import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

/** Any 64-bit constant other than the sweep's: one reconciliation at a time across all workers. */

/** Why an object has no live row. */
export type OrphanCause = 'no_row' | 'row_deleted' | 'row_discarded' | 'evidence_of_erased_person';

export interface KeyOwner {
  /** The artifact whose key (or key prefix) this is, when a row exists. */
  artifactId: string | null;
  live: boolean;
  cause: OrphanCause | null;
}

interface OwnerRow {
  key: string;
  artifact_id: string | null;
  status: string | null;
  erased: boolean | null;
}

/**
 * "Which of these keys does a live row still reference?", one page of the bucket at a time. Every
 * column in migrations/ that holds an object key is asked here; a new one must be added:
 * - `artifacts.storage_key` (recordings, derived files, uploads): live unless `deleted`/`discarded`,
 *   and so is everything under `<storage_key>/` (stream segments, any derived object);
 * - `consent_decisions.evidence_key`: live while the person is not erased (the append-only ledger
 *   keeps the key after erasure deleted the object);
 * - `research_exports.storage_key` (an export's archive): live while the export is `building` or
 *   `ready` (its id stands in the artifact's place); expired, revoked or failed exports' archives go.
 * `recordings.storage_prefix` is a prefix, not an object: covered by its artifacts.
 */
@Injectable()
export class ObjectReconcilerRepository {
  constructor(private readonly sql: Sql) {}

  async owners(keys: string[]): Promise<Map<string, KeyOwner>> {
    const candidates = new Map<string, string[]>(keys.map((k) => [k, [k, ...parentKeys(k)]]));
    const all = [...new Set([...candidates.values()].flat())];
    const rows = await this.sql.rows<OwnerRow>(
      `SELECT a.storage_key AS key, a.id AS artifact_id, a.status, NULL::boolean AS erased
         FROM artifacts a WHERE a.storage_key = ANY($1::text[])
       UNION ALL
       SELECT e.storage_key, e.id, CASE WHEN e.status IN ('building', 'ready') THEN 'stored' ELSE 'deleted' END, NULL
         FROM research_exports e WHERE e.storage_key = ANY($1::text[])
       UNION ALL
       SELECT c.evidence_key, NULL, NULL, bool_and(p.erased_at IS NOT NULL)
         FROM consent_decisions c LEFT JOIN people p ON p.id = c.person_id
        WHERE c.evidence_key = ANY($1::text[])
        GROUP BY c.evidence_key`,
      [all],
    );
    const byKey = new Map<string, OwnerRow[]>();
    for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    const result = new Map<string, KeyOwner>();
    for (const [key, chain] of candidates) result.set(key, judge(chain.flatMap((k) => byKey.get(k) ?? [])));
    return result;
  }

}

/** `r/a/b.ts/seg/1.ts` → `r/a/b.ts/seg`, `r/a/b.ts`, `r/a`, `r`: the keys it may be derived from. */
export function parentKeys(key: string): string[] {
  const parents: string[] = [];
  for (let i = key.lastIndexOf('/'); i > 0; i = key.lastIndexOf('/', i - 1)) parents.push(key.slice(0, i));
  return parents;
}

/** Any live owner keeps the object; otherwise the first dead owner says why it may go. */
export function judge(rows: Array<{ artifact_id: string | null; status: string | null; erased: boolean | null }>): KeyOwner {
  if (rows.length === 0) return { artifactId: null, live: false, cause: 'no_row' };
  const live = rows.find((r) => (r.artifact_id !== null ? r.status !== 'deleted' && r.status !== 'discarded' : r.erased === false));
  if (live) return { artifactId: live.artifact_id, live: true, cause: null };
  const r = rows[0];
  if (r.artifact_id === null) return { artifactId: null, live: false, cause: 'evidence_of_erased_person' };
  return { artifactId: r.artifact_id, live: false, cause: r.status === 'deleted' ? 'row_deleted' : 'row_discarded' };
}
