import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { retentionTags } from '@lib/retention';
import { RosterEntry, SessionRegistry } from '@lib/sessions';
import { ObjectStore, readWhole } from '@lib/storage';
import { Redacted, RedactionTarget, redactChat, redactOccurrences, redactTimeline, redactTranscript, RosterName } from '@lib/text';
import { ErasureRecords, LockedTextRow } from './erasure.repository';

/** Transcripts and chat logs are small; anything bigger than this is not read into memory. */
const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/** What one pass over the kept text did, by kind. */
export interface TextRedactionCounts {
  transcript: number;
  chat: number;
  timeline: number;
  other: number;
  /** Kept as it was under an active hold; the follow-up redacts it once the hold is released. */
  held: number;
}

export const noTextRedactions = (): TextRedactionCounts => ({ transcript: 0, chat: 0, timeline: 0, other: 0, held: 0 });

/**
 * The person's name and email leave kept text: transcripts, chat logs, timelines and other Zoom
 * text files (participant lists) of the sessions they took part in, and of recordings never
 * matched to a session. Each text is rewritten under its row lock, only while it is still
 * `stored` and not held, so a retention deletion and a rewrite never interleave (a rewrite would
 * otherwise re-create an object whose row says `deleted`). Every text dealt with is noted for the
 * request, so a later pass (the follow-up) reads only text that is new or was held.
 */
@Injectable()
export class ErasureText {
  private readonly logger = new Logger(ErasureText.name);

  constructor(
    private readonly records: ErasureRecords,
    private readonly transactions: Transactions,
    private readonly store: ObjectStore,
    private readonly sessions: SessionRegistry,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async redactKeptText(target: RedactionTarget, requestId: string): Promise<TextRedactionCounts> {
    const counts = noTextRedactions();
    const rosters = new Map<string, RosterName[]>();
    for (const text of await this.records.textsNotYetRedacted(target.personId, requestId)) {
      // A hold keeps the record as it was: rewriting it would alter what an investigation relies on.
      if (text.held) {
        counts.held += 1;
        continue;
      }
      const key = text.session_id ?? '';
      if (!rosters.has(key)) rosters.set(key, text.session_id ? withName(await this.sessions.roster(text.session_id), target) : [target]);
      const outcome = await this.redactOne(text.id, target, rosters.get(key)!, requestId);
      if (outcome === 'held') counts.held += 1;
      else if (outcome === 'redacted') counts[kindOf(text.kind)] += 1;
    }
    return counts;
  }

  /** One text under its row lock (rows first, the audit trail last). */
  private redactOne(artifactId: string, target: RedactionTarget, roster: RosterName[], requestId: string): Promise<'redacted' | 'unchanged' | 'held' | 'gone'> {
    return this.transactions.run(async () => {
      const text = await this.records.lockText(artifactId);
      // Deleted (or discarded) while we were getting here: nothing to rewrite, and no object to re-create.
      if (!text || text.status !== 'stored') return 'gone';
      if (text.held) return 'held';
      const original = await this.readText(text);
      const redacted = original === null ? { text: '', replacements: 0 } : redactByKind(text.kind, original, target, roster);
      if (redacted.replacements > 0) await this.rewrite(text, redacted.text, requestId, redacted.replacements);
      await this.records.noteRedacted(requestId, text.id, redacted.replacements, this.clock.now());
      return redacted.replacements > 0 ? 'redacted' : 'unchanged';
    });
  }

  /** Same key, new bytes; the artifact's size and checksum follow, and the rewrite is audited. */
  private async rewrite(text: LockedTextRow, body: string, requestId: string, replacements: number): Promise<void> {
    const bytes = Buffer.from(body, 'utf8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.store.put(text.storage_key, Readable.from([bytes]), {
      contentType: text.content_type ?? 'text/plain',
      expectedSize: bytes.length,
      tags: retentionTags(text.retention_class, text.expires_at),
    });
    await this.records.describeNewBytes(text.id, bytes.length, sha256);
    await this.audit.append({
      actorId: 'consent',
      action: 'artifact.redacted',
      subjectType: 'artifact',
      subjectId: text.id,
      details: { recordingId: text.recording_id, kind: text.kind, erasureRequestId: requestId, replacements, sizeBytes: bytes.length, sha256 },
    });
  }

  private async readText(text: LockedTextRow): Promise<string | null> {
    const head = await this.store.head(text.storage_key);
    if (!head) return null;
    if (head.size > MAX_TEXT_BYTES) {
      this.logger.warn(`artifact ${text.id}: ${head.size} bytes is too large to redact in memory; left as it is`);
      return null;
    }
    return (await readWhole(this.store, text.storage_key)).toString('utf8');
  }
}

/** The session's roster with the person's name as it was (after the erasure `people` says `[erased]`). */
function withName(roster: RosterEntry[], target: RedactionTarget): RosterName[] {
  const others = roster.filter((r) => r.personId !== target.personId);
  return [...others, { personId: target.personId, displayName: target.displayName }];
}

function kindOf(kind: string): 'transcript' | 'chat' | 'timeline' | 'other' {
  return kind === 'transcript' || kind === 'chat' || kind === 'timeline' ? kind : 'other';
}

export function redactByKind(kind: string, text: string, target: RedactionTarget, roster: readonly RosterName[]): Redacted {
  if (kind === 'chat') return redactChat(text, target, roster);
  if (kind === 'transcript') return redactTranscript(text, target, roster);
  if (kind === 'timeline') {
    try {
      return redactTimeline(text, target, roster);
    } catch {
      return redactOccurrences(text, target); // not JSON after all: treat it as text
    }
  }
  // Participant lists, summaries: free text (CSV, JSON), where their full name and email are replaced.
  return redactOccurrences(text, target);
}
