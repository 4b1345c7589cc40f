import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { ArtifactDeletion, heldArtifactSql, retentionTags } from '@lib/retention';
import { RosterEntry, SessionRegistry } from '@lib/sessions';
import { ObjectStore } from '@lib/storage';
import { Redacted, RedactionTarget, redactChat, redactOccurrences, redactTimeline, redactTranscript } from '@lib/text';
import { PersonNotFound } from './consent-errors';
import { ConsentEvidence } from './consent-evidence';
import { ConsentLedger } from './consent-ledger.service';

export interface ErasureCounts {
  /** Their own artifacts (participant audio, images of them, verification videos) deleted or withheld. */
  deleted: number;
  transcriptsRedacted: number;
  chatsRedacted: number;
  timelinesRedacted: number;
  evidenceDeleted: number;
  /** No research exports exist yet (issue 6): always 0 for now. */
  exportsRevoked: number;
  /** No analytics are stored yet (issue 5): always 0 for now. */
  analyticsRemoved: number;
  /** Covered by an active hold: kept (not deleted, not rewritten) until the hold is released. */
  held: number;
}

export interface ErasureResult {
  id: string;
  personId: string;
  /** `in_progress`: some deletions are queued (a storage error); they finish without another request. */
  status: 'completed' | 'in_progress';
  counts: ErasureCounts;
  notes: string[];
}

interface TextArtifact {
  id: string;
  kind: string;
  storage_key: string;
  content_type: string | null;
  recording_id: string;
  retention_class: string | null;
  expires_at: Date | null;
}

/** Transcripts and chat logs are small; anything bigger than this is not read into memory. */
const MAX_TEXT_BYTES = 64 * 1024 * 1024;
export const ERASED_NAME = '[erased]';
const NOTES = [
  'no analytics are stored yet (issue 5): nothing to remove',
  'no research exports exist yet (issue 6): nothing to revoke',
];

/**
 * Erasure on request (issue 3 item 7, POLICIES §4 "deletion on request"): what is the person's
 * alone goes through the one deletion path; their name and email are replaced in the transcripts,
 * chat logs and timelines kept for others; their consent evidence objects are deleted; their
 * name and email leave `people`. The append-only ledger and audit trail hold ids only, so they stay.
 */
@Injectable()
export class PersonErasure {
  private readonly logger = new Logger(PersonErasure.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly deletion: ArtifactDeletion,
    private readonly store: ObjectStore,
    private readonly sessions: SessionRegistry,
    private readonly ledger: ConsentLedger,
    private readonly evidence: ConsentEvidence,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async erase(personId: string, actorId: string): Promise<ErasureResult> {
    const people: Array<{ display_name: string; email: string | null; erased_at: Date | null }> = await this.sql.rows(
      'SELECT display_name, email, erased_at FROM people WHERE id = $1',
      [personId],
    );
    if (people.length === 0) throw new PersonNotFound();
    const person = people[0];
    const [request]: Array<{ id: string }> = await this.sql.rows(
      'INSERT INTO erasure_requests (person_id, requested_by, requested_at) VALUES ($1, $2, $3) RETURNING id',
      [personId, actorId, this.clock.now()],
    );
    const counts: ErasureCounts = {
      deleted: 0,
      transcriptsRedacted: 0,
      chatsRedacted: 0,
      timelinesRedacted: 0,
      evidenceDeleted: 0,
      exportsRevoked: 0,
      analyticsRemoved: 0,
      held: 0,
    };
    const inProgress = await this.deleteOwn(personId, request.id, counts);
    // Once erased, the name is gone from `people` too: a second request has no name left to look for.
    if (!person.erased_at) await this.redactText({ personId, displayName: person.display_name, email: person.email }, request.id, counts);
    counts.evidenceDeleted = await this.evidence.remove(await this.ledger.evidenceKeysOf(personId));

    const status = inProgress ? 'in_progress' : 'completed';
    await this.transactions.run(async () => {
      await this.sql.rows(
        `UPDATE people SET display_name = $2, email = NULL, erased_at = COALESCE(erased_at, $3), updated_at = now() WHERE id = $1`,
        [personId, ERASED_NAME, this.clock.now()],
      );
      await this.sql.rows('UPDATE erasure_requests SET counts = $2, completed_at = $3 WHERE id = $1', [
        request.id,
        JSON.stringify(counts),
        inProgress ? null : this.clock.now(),
      ]);
      await this.audit.append(
        { actorId, action: 'person.erased', subjectType: 'person', subjectId: personId, details: { erasureRequestId: request.id, status, ...counts } },
      );
    });
    return { id: request.id, personId, status, counts, notes: NOTES };
  }

  /** Their participant audio, images picturing them, their verification videos. Returns whether some deletion is still queued. */
  private async deleteOwn(personId: string, requestId: string, counts: ErasureCounts): Promise<boolean> {
    const own: Array<{ id: string; status: string; held: boolean }> = await this.sql.rows(
      `SELECT a.id, a.status, ${heldArtifactSql('a')} AS held FROM artifacts a
       WHERE a.status IN ('pending', 'stored')
         AND ((a.person_id = $1 AND a.kind IN ('participant_audio', 'verification_video'))
              OR (a.kind = 'image' AND $1 = ANY(a.pictured_person_ids)))`,
      [personId],
    );
    const requested = new Set(await this.deletion.requestDeletion(own.map((a) => a.id), 'erasure', `erasure request ${requestId}`));
    const toDelete = own.filter((a) => requested.has(a.id) && !a.held).map((a) => a.id);
    for (const artifactId of toDelete) {
      // Done now rather than by the queued job (which then finds nothing to do), so the answer is true.
      await this.deletion.deleteArtifact(artifactId).catch((error: Error) => {
        this.logger.warn(`artifact ${artifactId}: erasure deletion left to its queued job after a storage error (${error.message})`);
      });
    }
    // Count what the rows say now: a deletion another job holds the lock of is still in progress.
    const now: Array<{ id: string; status: string }> = await this.sql.rows('SELECT id, status FROM artifacts WHERE id = ANY($1)', [own.map((a) => a.id)]);
    let inProgress = false;
    for (const artifact of own) {
      const status = now.find((r) => r.id === artifact.id)?.status;
      if (status === 'deleted' || status === 'discarded') counts.deleted += 1;
      else if (artifact.held) counts.held += 1;
      else inProgress = true;
    }
    return inProgress;
  }

  /** Kept transcripts, chat logs and timelines of the sessions they took part in: their name becomes [PERSON]. */
  private async redactText(target: RedactionTarget, requestId: string, counts: ErasureCounts): Promise<void> {
    const texts: Array<TextArtifact & { session_id: string; held: boolean }> =
      await this.sql.rows(
        `SELECT a.id, a.kind, a.storage_key, a.content_type, a.recording_id, a.retention_class, a.expires_at, r.session_id,
                ${heldArtifactSql('a')} AS held
         FROM artifacts a JOIN recordings r ON r.id = a.recording_id
         WHERE a.kind IN ('transcript', 'chat', 'timeline') AND a.status = 'stored'
           AND r.session_id IN (SELECT session_id FROM session_participants WHERE person_id = $1)`,
        [target.personId],
      );
    const rosters = new Map<string, RosterEntry[]>();
    for (const text of texts) {
      // A hold keeps the record as it was: rewriting it would alter what an investigation relies on.
      if (text.held) {
        counts.held += 1;
        continue;
      }
      if (!rosters.has(text.session_id)) rosters.set(text.session_id, await this.sessions.roster(text.session_id));
      const original = await this.readText(text.storage_key);
      if (original === null) continue;
      const redacted = redactByKind(text.kind, original, target, rosters.get(text.session_id) ?? []);
      if (redacted.replacements === 0) continue;
      await this.rewrite(text, redacted.text, requestId, redacted.replacements);
      if (text.kind === 'transcript') counts.transcriptsRedacted += 1;
      else if (text.kind === 'chat') counts.chatsRedacted += 1;
      else counts.timelinesRedacted += 1;
    }
  }

  /** Same key, new bytes; the artifact's size and checksum follow, and the rewrite is audited. */
  private async rewrite(text: TextArtifact, body: string, requestId: string, replacements: number) {
    const bytes = Buffer.from(body, 'utf8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.store.put(text.storage_key, Readable.from([bytes]), {
      contentType: text.content_type ?? 'text/plain',
      expectedSize: bytes.length,
      tags: retentionTags(text.retention_class, text.expires_at),
    });
    await this.transactions.run(async () => {
      await this.sql.rows('UPDATE artifacts SET size_bytes = $2, sha256 = $3, updated_at = now() WHERE id = $1', [text.id, bytes.length, sha256]);
      await this.audit.append(
        {
          actorId: 'consent',
          action: 'artifact.redacted',
          subjectType: 'artifact',
          subjectId: text.id,
          details: { recordingId: text.recording_id, kind: text.kind, erasureRequestId: requestId, replacements, sizeBytes: bytes.length, sha256 },
        },
      );
    });
  }

  private async readText(key: string): Promise<string | null> {
    const head = await this.store.head(key);
    if (!head) return null;
    if (head.size > MAX_TEXT_BYTES) {
      this.logger.warn(`object of ${head.size} bytes is too large to redact in memory; left as it is`);
      return null;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await this.store.read(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}

function redactByKind(kind: string, text: string, target: RedactionTarget, roster: RosterEntry[]): Redacted {
  if (kind === 'chat') return redactChat(text, target, roster);
  if (kind === 'timeline') {
    try {
      return redactTimeline(text, target, roster);
    } catch {
      return redactOccurrences(text, target); // not JSON after all: treat it as text
    }
  }
  return redactTranscript(text, target, roster);
}
