import { createHash } from 'node:crypto';

/**
 * The scripted conversation behind the sample media. Audio bursts, transcript cues, chat and the
 * timeline are all derived from the same turns, so features that cross-check them (talk time from
 * per-participant audio vs. from the transcript) see one consistent session.
 */
export interface Turn {
  speaker: number;
  displayName: string;
  start: number;
  end: number;
}

/** One repeating cycle: offsets in seconds within a cycle of `length` seconds. */
export interface TurnPattern {
  length: number;
  entries: Array<{ speaker: number; from: number; to: number }>;
}

const LEAD_IN = 0.4;
const GAP = 0.4;
const TUTOR_TURN = 1.6;
const LEARNER_TURN = 1.2;

/** The tutor (index 0) speaks, then one learner answers; in turn for every learner, then repeat. */
export function turnPattern(participantCount: number): TurnPattern {
  const entries: TurnPattern['entries'] = [];
  let at = LEAD_IN;
  const learners = Math.max(1, participantCount - 1);
  for (let i = 0; i < learners; i += 1) {
    entries.push({ speaker: 0, from: at, to: at + TUTOR_TURN });
    at += TUTOR_TURN + GAP;
    if (participantCount > 1) {
      entries.push({ speaker: i + 1, from: at, to: at + LEARNER_TURN });
      at += LEARNER_TURN + GAP;
    }
  }
  return { length: round(at), entries: entries.map((e) => ({ ...e, from: round(e.from), to: round(e.to) })) };
}

export function speakingTurns(participants: string[], seconds: number): Turn[] {
  const pattern = turnPattern(participants.length);
  const turns: Turn[] = [];
  for (let cycle = 0; cycle * pattern.length < seconds; cycle += 1) {
    for (const entry of pattern.entries) {
      const start = round(cycle * pattern.length + entry.from);
      if (start >= seconds - 0.3) continue;
      const end = round(Math.min(cycle * pattern.length + entry.to, seconds));
      turns.push({ speaker: entry.speaker, displayName: participants[entry.speaker], start, end });
    }
  }
  return turns;
}

/** `HH:MM:SS.mmm` (transcript cues, timeline) or `HH:MM:SS` (chat). */
export function clock(seconds: number, withMillis = true): string {
  const ms = Math.round(seconds * 1000);
  const hms = [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, Math.floor(ms / 1000) % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return withMillis ? `${hms}.${String(ms % 1000).padStart(3, '0')}` : hms;
}

const TUTOR_LINES = [
  (learner: string) => `Hi ${learner}, shall we start with the fractions worksheet?`,
  (learner: string) => `Good. ${learner}, how did you get that?`,
  (learner: string) => `Let's check the denominator together, ${learner}.`,
  (learner: string) => `Nice work ${learner}, try question four.`,
];
const LEARNER_LINES = ['I think it is three quarters.', "I wasn't sure about the second step.", 'Can we do one more example?', 'Oh, I see it now.'];

export function transcriptVtt(turns: Turn[], participants: string[]): string {
  const cues = turns.map((turn, i) => {
    const next = turns.slice(i + 1).find((t) => t.speaker !== 0) ?? turns.find((t) => t.speaker !== 0);
    const text =
      turn.speaker === 0
        ? TUTOR_LINES[i % TUTOR_LINES.length](firstName(next?.displayName ?? participants[0]))
        : LEARNER_LINES[i % LEARNER_LINES.length];
    return `${i + 1}\n${clock(turn.start)} --> ${clock(turn.end)}\n${turn.displayName}: ${text}\n`;
  });
  return `WEBVTT\n\n${cues.join('\n')}`;
}

/** Cloud-recording chat format; one message runs onto a second line, as long messages do. */
export function chatLog(turns: Turn[], participants: string[]): string {
  const at = (i: number) => clock(turns[Math.min(i, turns.length - 1)]?.start ?? 0, false);
  const [tutor, first = tutor, second = first] = participants;
  const lines = [
    `${at(0)}\t${tutor}:\tWelcome! Today's worksheet: https://example.org/worksheets/fractions-3`,
    `${at(1)}\t${first}:\tcan you email me the worksheet? ${slug(first).replace(/-/g, '.')}@example.com`,
    `${at(3)}\t${second}:\tis question 3 a trick question?`,
    'i got 3/4 but not sure',
    `${at(turns.length)}\t${tutor}:\tGreat work today, see you on Thursday.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Active-speaker timeline in Zoom's shape; ids are derived from names so they are stable. */
export function timelineJson(turns: Turn[]): string {
  const timeline = turns.map((turn) => ({ ts: clock(turn.start), users: [timelineUser(turn.displayName, turn.speaker)] }));
  return JSON.stringify({ timeline }, null, 2);
}

function timelineUser(displayName: string, index: number) {
  const digest = createHash('sha256').update(displayName).digest();
  return {
    username: displayName,
    email_address: index === 0 ? `${slug(displayName).replace(/-/g, '.')}@tutoring.example` : '',
    user_id: String(16778240 + digest.readUInt16BE(0)),
    zoom_userid: digest.subarray(2, 18).toString('base64url'),
    multiple_people: false,
    client_type: ['mac', 'windows', 'web', 'ios', 'android'][index % 5],
    avatar_url: '',
  };
}

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'participant';
}

const firstName = (name: string) => name.split(' ')[0];
const round = (n: number) => Math.round(n * 1000) / 1000;
