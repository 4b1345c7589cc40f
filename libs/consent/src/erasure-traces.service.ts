import { Injectable } from '@nestjs/common';
import { SessionRegistry } from '@lib/sessions';
import { matchRosterName, normaliseName, RedactionTarget, redactOccurrences, RosterName } from '@lib/text';
import { ErasureRecords } from './erasure.repository';

export interface TraceCounts {
  labelsCleared: number;
  holdTextsRedacted: number;
  inboxBodiesRedacted: number;
}

/** Inbox rows whose processing is over: their body is dropped rather than rewritten. */
const SETTLED_DELIVERY = new Set(['processed', 'ignored']);

/**
 * The person's name outside kept text: display names on per-participant tracks, the free text of
 * holds (reason, note), and webhook bodies still in the inbox. Names and emails are replaced by
 * the same rules as in kept text (review notes count with hold texts); nothing here is logged but ids.
 */
@Injectable()
export class ErasureTraces {
  constructor(
    private readonly records: ErasureRecords,
    private readonly sessions: SessionRegistry,
  ) {}

  async clear(target: RedactionTarget | null, personId: string): Promise<TraceCounts> {
    return {
      labelsCleared: await this.clearLabels(target, personId),
      holdTextsRedacted: target ? await this.redactHolds(target) : 0,
      inboxBodiesRedacted: target ? await this.redactInbox(target) : 0,
    };
  }

  /**
   * Their own tracks lose the label. An unnamed track in one of their sessions whose label matches
   * them on the roster becomes theirs (so it is deleted as theirs); in a recording never matched,
   * a label matching their name is cleared without naming anyone.
   */
  private async clearLabels(target: RedactionTarget | null, personId: string): Promise<number> {
    let cleared = 0;
    const rosters = new Map<string, RosterName[]>();
    for (const track of await this.records.labelledTracks(personId)) {
      if (track.person_id === personId) {
        await this.records.clearLabel(track.id, null);
        cleared += 1;
        continue;
      }
      if (!target) continue;
      const sessionId = track.session_id;
      if (sessionId && !rosters.has(sessionId)) {
        const roster = (await this.sessions.roster(sessionId)).filter((r) => r.personId !== personId);
        rosters.set(sessionId, [...roster, { personId, displayName: target.displayName }]);
      }
      const match = matchRosterName(track.participant_label, sessionId ? rosters.get(sessionId)! : [target]);
      if (match?.personId !== personId) continue;
      await this.records.clearLabel(track.id, sessionId ? personId : null);
      cleared += 1;
    }
    return cleared;
  }

  private async redactHolds(target: RedactionTarget): Promise<number> {
    let changed = 0;
    for (const hold of await this.records.holdsWithText()) {
      const reason = redactOccurrences(hold.reason, target);
      const note = hold.note === null ? null : redactOccurrences(hold.note, target);
      if (reason.replacements + (note?.replacements ?? 0) === 0) continue;
      await this.records.rewriteHoldText(hold.id, reason.text, note ? note.text : null);
      changed += 1;
    }
    // A review's note is free text beside a hold's (issue 12); counted with them.
    for (const review of await this.records.reviewsWithNote()) {
      const note = redactOccurrences(review.note, target);
      if (note.replacements === 0) continue;
      await this.records.rewriteReviewNote(review.id, note.text);
      changed += 1;
    }
    return changed;
  }

  /**
   * Bodies of their sessions' meetings, and any body containing their email or a word of their
   * name (a cheap filter; the match itself is the redaction rule). Settled deliveries lose the
   * body; one still to be processed (or re-driven) keeps it with the name and email replaced.
   */
  private async redactInbox(target: RedactionTarget): Promise<number> {
    const words = normaliseName(target.displayName).split(' ').filter((w) => w.length >= 2);
    const patterns = [...words, ...(target.email ? [target.email] : [])].map((w) => `%${w.replace(/[\\%_]/g, '\\$&')}%`);
    let changed = 0;
    for (const delivery of await this.records.deliveriesMentioning(target.personId, patterns)) {
      const redacted = redactOccurrences(JSON.stringify(delivery.body), target);
      if (redacted.replacements === 0) continue;
      await this.records.setDeliveryBody(delivery.id, SETTLED_DELIVERY.has(delivery.status) ? null : parseOrNull(redacted.text));
      changed += 1;
    }
    return changed;
  }
}

/** A replacement that broke the JSON (a name written with escapes) drops the body rather than keep the name. */
function parseOrNull(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}
