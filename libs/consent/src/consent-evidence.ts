import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { newObjectKey, ObjectStore, readWhole } from '@lib/storage';

/** What a decision's evidence object holds: the free text about a person the ledger row must not. */
export interface EvidenceDocument {
  personId: string;
  purpose: string;
  decision: string;
  studyId: string | null;
  decidedBy: string | null;
  recordedBy: string;
  /** Images: why the picture is taken. */
  reason: string | null;
  evidence: string | null;
  recordedAt: string;
}

/**
 * Consent evidence lives in the bucket as one small JSON object per decision, so that erasure can
 * delete it while the append-only ledger keeps only the (then dangling) key. Keys are random, under
 * `e/`, and say nothing about the person.
 */
@Injectable()
export class ConsentEvidence {
  constructor(private readonly store: ObjectStore) {}

  async save(doc: EvidenceDocument): Promise<string> {
    const key = newObjectKey(`e/${randomBytes(16).toString('hex')}`, 'json');
    const bytes = Buffer.from(JSON.stringify(doc), 'utf8');
    await this.store.put(key, Readable.from([bytes]), { contentType: 'application/json', expectedSize: bytes.length });
    return key;
  }

  async read(key: string): Promise<EvidenceDocument | null> {
    if (!(await this.store.head(key))) return null;
    return JSON.parse((await readWhole(this.store, key)).toString('utf8')) as EvidenceDocument;
  }

  /** Deletes the objects and confirms they are gone; returns how many existed. */
  async remove(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const existing = (await Promise.all(keys.map(async (k) => ((await this.store.head(k)) ? k : null)))).filter((k): k is string => k !== null);
    await this.store.deleteMany(keys);
    const left = (await Promise.all(keys.map((k) => this.store.head(k)))).filter((h) => h !== null).length;
    if (left > 0) throw new Error(`${left} consent evidence object(s) still in storage after deletion`);
    return existing.length;
  }
}
