import type { ChatMessage } from './chat-log';
import { ContactDetail, ContactKind, findContactDetails } from './contact-details';
import { isMeetingOrChatLink } from './meeting-links';
import { matchRosterName } from './name-match';
import type { TranscriptCue } from './webvtt';

/**
 * Safety signals from chat logs and transcripts (POLICIES §5 "Communication safety"). Every contact
 * detail found becomes one signal saying what kind it is, where (line, time), who shared it and with
 * whom, and whether it is a breach. A signal never carries the detail's text: it is personal data.
 */
export type PartyRole = 'tutor' | 'learner' | 'parent' | 'unknown';

export interface SafetyRosterPerson {
  personId: string;
  displayName: string;
  role: 'tutor' | 'learner' | 'parent';
  /** For a parent: their children's personIds. */
  children?: string[];
}

/** A one-time Trust & Safety exception recorded for a tutor and a family. */
export interface SafetyException {
  id: string;
  tutorId: string;
  familyPersonIds: readonly string[];
  /** The kinds of detail it allows; null allows every kind. */
  kinds: readonly ContactKind[] | null;
}

export interface SafetySignal {
  source: 'chat' | 'transcript';
  /** The chat message's first line, or the transcript cue's timing line. */
  line: number;
  offsetSeconds: number;
  kind: ContactKind;
  direct: boolean;
  senderPersonId: string | null;
  senderRole: PartyRole;
  recipientPersonId: string | null;
  recipientRole: PartyRole | 'everyone';
  breach: boolean;
  coveredBy: 'parent' | 'exception' | null;
  exceptionId: string | null;
}

export interface SafetyOptions {
  allowedDomains: readonly string[];
  exceptions: readonly SafetyException[];
}

interface Party {
  personId: string | null;
  role: PartyRole;
}

type Audience = Party | 'everyone';

type Verdict = Pick<SafetySignal, 'breach' | 'coveredBy' | 'exceptionId'>;

/**
 * POLICIES §5, the whole rule for one detail:
 * - Only a tutor can breach: "tutors must not share personal contact information … with learners,
 *   nor move learners off the platform". A learner, parent or unrecognised sender sharing a detail
 *   is still a signal (the safety team wants to see a child giving out their number) but no breach.
 * - A tutor breaches when a learner may receive it: a direct message to a learner or to someone we
 *   cannot identify (never guessed to be harmless), or a message to everyone / speech in a session
 *   whose roster has a learner.
 * - Not breaches: a direct message to a parent ("limited details given to a parent for an
 *   educational purpose"; contact with a minor goes through the parent) → coveredBy 'parent'; and
 *   anything a recorded exception covers → coveredBy 'exception'. An exception covers a detail when
 *   it names this tutor, allows this kind, and its family includes the recipient of a direct
 *   message, or for everyone every learner on the roster. An unidentified recipient is covered by
 *   no exception. A tutor's message to another tutor reaches no learner and is no breach.
 */
function judgeDetail(
  kind: ContactKind,
  sender: Party,
  audience: Audience,
  roster: readonly SafetyRosterPerson[],
  exceptions: readonly SafetyException[],
): Verdict {
  const none: Verdict = { breach: false, coveredBy: null, exceptionId: null };
  if (sender.role !== 'tutor') return none;
  if (audience !== 'everyone' && audience.role === 'parent') return { ...none, coveredBy: 'parent' };
  const learners = roster.filter((p) => p.role === 'learner').map((p) => p.personId);
  const reachesLearner = audience === 'everyone' ? learners.length > 0 : audience.role === 'learner' || audience.role === 'unknown';
  if (!reachesLearner) return none;
  const family = audience === 'everyone' ? learners : audience.personId === null ? null : [audience.personId];
  const exception = exceptions.find(
    (e) =>
      e.tutorId === sender.personId &&
      (e.kinds === null || e.kinds.includes(kind)) &&
      family !== null &&
      family.every((id) => e.familyPersonIds.includes(id)),
  );
  if (exception) return { breach: false, coveredBy: 'exception', exceptionId: exception.id };
  return { breach: true, coveredBy: null, exceptionId: null };
}

/** Who a Zoom label names on the roster; each label is matched once per file. */
function rosterParties(roster: readonly SafetyRosterPerson[]): (label: string | null) => Party {
  const known = new Map<string, Party>();
  return (label) => {
    if (label === null) return { personId: null, role: 'unknown' };
    let found = known.get(label);
    if (!found) {
      const person = matchRosterName(label, roster);
      found = person ? { personId: person.personId, role: person.role } : { personId: null, role: 'unknown' };
      known.set(label, found);
    }
    return found;
  };
}

interface Utterance {
  source: SafetySignal['source'];
  line: number;
  offsetSeconds: number;
  text: string;
  sender: Party;
  audience: Audience;
}

function signalsOf(u: Utterance, roster: readonly SafetyRosterPerson[], options: SafetyOptions): SafetySignal[] {
  const detection = { allowedDomains: options.allowedDomains, mentionNames: roster.map((p) => p.displayName) };
  // An ordinary web link is no contact detail; one to another meeting, chat or social service is (meeting-links.ts).
  const details = findContactDetails(u.text, detection).filter((d) => d.kind !== 'link' || isMeetingOrChatLink(u.text.slice(d.start, d.end)));
  return details.map((d: ContactDetail) => ({
    source: u.source,
    line: u.line,
    offsetSeconds: u.offsetSeconds,
    kind: d.kind,
    direct: u.audience !== 'everyone',
    senderPersonId: u.sender.personId,
    senderRole: u.sender.role,
    recipientPersonId: u.audience === 'everyone' ? null : u.audience.personId,
    recipientRole: u.audience === 'everyone' ? 'everyone' : u.audience.role,
    ...judgeDetail(d.kind, u.sender, u.audience, roster, options.exceptions),
  }));
}

const REPLY_QUOTE = /^Replying to "[^\n]*":[ \t]*(?:\n|$)|^Replying to "[^\n]*?":[ \t]+/;

/**
 * Reactions are skipped (they quote someone else's message). A reply is read without its first line,
 * `Replying to "…":`, which quotes the message replied to: that detail belongs to its own sender.
 */
export function chatSafetySignals(
  messages: readonly ChatMessage[],
  roster: readonly SafetyRosterPerson[],
  options: SafetyOptions,
): SafetySignal[] {
  const party = rosterParties(roster);
  return messages
    .filter((m) => m.kind !== 'reaction')
    .flatMap((m) =>
      signalsOf(
        {
          source: 'chat',
          line: m.line,
          offsetSeconds: m.offsetSeconds,
          text: m.kind === 'reply' ? m.text.replace(REPLY_QUOTE, '') : m.text,
          sender: party(m.sender),
          audience: m.direct ? party(m.recipient) : 'everyone',
        },
        roster,
        options,
      ),
    );
}

/** Speech reaches everyone in the session; a cue without a speaker has an unknown sender. */
export function transcriptSafetySignals(
  cues: readonly TranscriptCue[],
  roster: readonly SafetyRosterPerson[],
  options: SafetyOptions,
): SafetySignal[] {
  const party = rosterParties(roster);
  return cues.flatMap((c) =>
    signalsOf(
      { source: 'transcript', line: c.line, offsetSeconds: c.startSeconds, text: c.text, sender: party(c.speakerLabel), audience: 'everyone' },
      roster,
      options,
    ),
  );
}
