import { matchRosterName } from './name-match';
import { computeTalkTime, TalkTimeReport } from './talk-time';
import { TalkRosterPerson, toMillis, Utterance } from './talk-time-input';
import { TalkTimeInputInvalid } from './text-errors';
import type { SpeakingInterval, TimelineSpeaker } from './timeline';
import type { TranscriptCue } from './webvtt';

/**
 * The three sources of talk time (issue 13 item 3: per-participant audio > transcript > timeline),
 * each turned into utterances for computeTalkTime. Labels and usernames are matched to the roster
 * with matchRosterName only; what matches nobody stays unattributed, told apart by an opaque key
 * so that the report can count unattributed speakers without ever carrying their labels.
 */
function labelMatcher(roster: readonly TalkRosterPerson[]) {
  const people = new Map<string, string | null>();
  const keys = new Map<string, string>();
  return (label: string | null): Pick<Utterance, 'personId' | 'unattributedKey'> => {
    if (label === null) return { personId: null };
    if (!people.has(label)) people.set(label, matchRosterName(label, roster)?.personId ?? null);
    const personId = people.get(label) ?? null;
    if (personId !== null) return { personId };
    if (!keys.has(label)) keys.set(label, `u${keys.size + 1}`);
    return { personId: null, unattributedKey: keys.get(label) };
  };
}

/**
 * From transcript cues: the session runs from the first cue's start to the latest cue end. A cue
 * with no speaker (one before any cue named one) is unattributed speech of an unknown speaker,
 * which unattributedSpeakers does not count: it counts distinct unmatched labels.
 */
export function talkTimeFromTranscript(cues: readonly TranscriptCue[], roster: readonly TalkRosterPerson[]): TalkTimeReport {
  const match = labelMatcher(roster);
  const utterances = cues.map(
    (c): Utterance => ({ startSeconds: c.startSeconds, endSeconds: c.endSeconds, text: c.text, ...match(c.speakerLabel) }),
  );
  return computeTalkTime({ source: 'transcript', roster, utterances });
}

/**
 * From the timeline's speaking intervals: timeline times count from the recording's start, so the
 * session runs from 0 to `endSeconds` (the recording's length) when known, and otherwise to the
 * last entry (the latest interval end: parseTimeline gives the last entry no time of its own).
 */
export function talkTimeFromTimeline(
  speakers: readonly TimelineSpeaker[],
  roster: readonly TalkRosterPerson[],
  endSeconds?: number,
): TalkTimeReport {
  const match = labelMatcher(roster);
  const utterances = speakers.flatMap((s) => s.intervals.map((i) => ({ ...interval(i), ...match(s.username) })));
  return computeTalkTime({
    source: 'timeline',
    roster,
    utterances,
    sessionStartSeconds: 0,
    sessionEndSeconds: endSeconds ?? utterances.reduce((latest, u) => Math.max(latest, u.endSeconds), 0),
  });
}

/**
 * From per-participant audio: each track is one person's (the caller matched the file to the
 * roster), its intervals where speech was detected. The session is the recording, 0 to
 * `durationSeconds`; speech detected past the end is cut there.
 */
export function talkTimeFromTracks(
  tracks: ReadonlyArray<{ personId: string; intervals: readonly SpeakingInterval[] }>,
  roster: readonly TalkRosterPerson[],
  durationSeconds: number,
): TalkTimeReport {
  toMillis(durationSeconds, 'recording', 'durationSeconds');
  const onRoster = new Set(roster.map((p) => p.personId));
  tracks.forEach((t, i) => {
    if (!onRoster.has(t.personId)) throw new TalkTimeInputInvalid(`track ${i + 1}`, 'its person is not on the roster');
  });
  const utterances = tracks.flatMap((t) => t.intervals.map((i) => ({ ...interval(i), personId: t.personId })));
  return computeTalkTime({ source: 'participant_audio', roster, utterances, sessionStartSeconds: 0, sessionEndSeconds: durationSeconds });
}

function interval(i: SpeakingInterval): Pick<Utterance, 'startSeconds' | 'endSeconds'> {
  return { startSeconds: i.startSeconds, endSeconds: i.endSeconds };
}
