import { lengthOfSpans, overlapAndSilence, Span, spreadOverBins, unionOfSpans } from './intervals';
import {
  checkRoster,
  clipToWindow,
  sessionWindow,
  TalkRole,
  TalkRosterPerson,
  TalkTimeSource,
  Utterance,
  voicedUtterances,
} from './talk-time-input';
import { tutorQuestions, turnsOf } from './talk-time-turns';

/**
 * Talk-time metrics for one session (issue 13, CONTRACT "Talk-time definitions"). A person's
 * seconds are the length of the union of their utterances, so overlapping cues of one speaker
 * count once; tutor, learner and parent seconds are sums over the people in that role, each
 * person's own union (two learners talking at once count twice: each of them spoke);
 * unattributed seconds are the union of everything that matches nobody. Everything is computed in
 * whole milliseconds and reported in seconds with three decimals; shares are rounded to three
 * decimals too. A share with nothing to divide by is null, never NaN.
 */
export interface TalkTimeReport {
  source: TalkTimeSource;
  sessionSeconds: number;
  tutorSeconds: number;
  learnerSeconds: number;
  parentSeconds: number;
  unattributedSeconds: number;
  /** tutorSeconds / (tutorSeconds + learnerSeconds). */
  tutorShare: number | null;
  /** Every roster person, in roster order, silent ones too. `share` is of all talk (every role and unattributed). */
  speakers: Array<{ personId: string; displayName: string; role: TalkRole; seconds: number; turns: number; share: number | null }>;
  /** Every learner, in roster order; `share` is of learnerSeconds. */
  learners: Array<{ personId: string; seconds: number; share: number | null }>;
  silentLearners: string[];
  /** How many different unattributed speakers (distinct keys) spoke; never who. */
  unattributedSpeakers: number;
  tutor: {
    longestMonologueSeconds: number;
    meanTurnSeconds: number | null;
    turns: number;
    /** null when the source has no words (timeline, audio). */
    questions: number | null;
    meanWaitSeconds: number | null;
    unansweredQuestions: number | null;
  };
  overlapSeconds: number;
  silenceSeconds: number;
  bins: Array<{ startSeconds: number; tutorSeconds: number; learnerSeconds: number; parentSeconds: number; unattributedSeconds: number }>;
}

export const TALK_TIME_BIN_SECONDS = 300;

export interface TalkTimeInput {
  source: TalkTimeSource;
  roster: readonly TalkRosterPerson[];
  utterances: readonly Utterance[];
  /** Defaults to the first utterance's start. */
  sessionStartSeconds?: number;
  /** Defaults to the latest utterance end. */
  sessionEndSeconds?: number;
}

const seconds = (ms: number) => ms / 1000;
const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

export function computeTalkTime(input: TalkTimeInput): TalkTimeReport {
  const byId = checkRoster(input.roster);
  const checked = voicedUtterances(input.utterances, byId);
  const window = sessionWindow(checked, input);
  const voiced = clipToWindow(checked, window);

  const spansByVoice = new Map<string, Span[]>();
  for (const u of voiced) {
    const spans = spansByVoice.get(u.voice) ?? [];
    spans.push(u);
    spansByVoice.set(u.voice, spans);
  }
  const unionOf = (voice: string) => unionOfSpans(spansByVoice.get(voice) ?? []);
  const personVoice = (p: TalkRosterPerson) => `person:${p.personId}`;
  const personMs = new Map(input.roster.map((p) => [p.personId, lengthOfSpans(unionOf(personVoice(p)))]));
  const unattributed = unionOfSpans(voiced.filter((u) => u.person === null));

  const roleMs = (role: TalkRole) => sum(input.roster.filter((p) => p.role === role).map((p) => personMs.get(p.personId) ?? 0));
  const tutorMs = roleMs('tutor');
  const learnerMs = roleMs('learner');
  const parentMs = roleMs('parent');
  const unattributedMs = lengthOfSpans(unattributed);
  const allTalkMs = tutorMs + learnerMs + parentMs + unattributedMs;

  const turns = turnsOf(voiced);
  const turnCount = (voice: string) => turns.filter((t) => t.voice === voice).length;
  const tutorVoices = new Set(input.roster.filter((p) => p.role === 'tutor').map(personVoice));
  const tutorTurns = turns.filter((t) => tutorVoices.has(t.voice)).map((t) => t.length);
  const learners = input.roster.filter((p) => p.role === 'learner');
  const unattributedKeys = new Set(voiced.filter((u) => u.person === null && u.voice !== 'unattributed:').map((u) => u.voice));
  const { overlap, silence } = overlapAndSilence([...spansByVoice.keys()].map(unionOf), window.start, window.end);

  return {
    source: input.source,
    sessionSeconds: seconds(window.end - window.start),
    tutorSeconds: seconds(tutorMs),
    learnerSeconds: seconds(learnerMs),
    parentSeconds: seconds(parentMs),
    unattributedSeconds: seconds(unattributedMs),
    tutorShare: share(tutorMs, tutorMs + learnerMs),
    speakers: input.roster.map((p) => ({
      personId: p.personId,
      displayName: p.displayName,
      role: p.role,
      seconds: seconds(personMs.get(p.personId) ?? 0),
      turns: turnCount(personVoice(p)),
      share: share(personMs.get(p.personId) ?? 0, allTalkMs),
    })),
    learners: learners.map((p) => ({
      personId: p.personId,
      seconds: seconds(personMs.get(p.personId) ?? 0),
      share: share(personMs.get(p.personId) ?? 0, learnerMs),
    })),
    silentLearners: learners.filter((p) => personMs.get(p.personId) === 0).map((p) => p.personId),
    unattributedSpeakers: unattributedKeys.size,
    tutor: tutorSummary(tutorTurns, input.source === 'transcript' ? tutorQuestions(voiced) : null),
    overlapSeconds: seconds(overlap),
    silenceSeconds: seconds(silence),
    bins: binsOf(window, input.roster, (p) => unionOf(personVoice(p)), unattributed),
  };
}

function tutorSummary(turnLengths: number[], questions: ReturnType<typeof tutorQuestions> | null): TalkTimeReport['tutor'] {
  return {
    longestMonologueSeconds: seconds(turnLengths.reduce((a, b) => Math.max(a, b), 0)),
    meanTurnSeconds: turnLengths.length > 0 ? seconds(Math.round(sum(turnLengths) / turnLengths.length)) : null,
    turns: turnLengths.length,
    questions: questions?.questions ?? null,
    meanWaitSeconds: questions && questions.answered > 0 ? seconds(Math.round(questions.answeredWaitTotal / questions.answered)) : null,
    unansweredQuestions: questions?.unanswered ?? null,
  };
}

/**
 * Talk over time in 5-minute bins from the session's start (the last bin may be shorter). Each
 * person's union is split at the bin boundaries and summed by role, unattributed speech is its own
 * union, so each column of the bins adds up to the session's total for that role.
 */
function binsOf(
  window: { start: number; end: number },
  roster: readonly TalkRosterPerson[],
  unionOf: (p: TalkRosterPerson) => Span[],
  unattributed: Span[],
): TalkTimeReport['bins'] {
  const width = TALK_TIME_BIN_SECONDS * 1000;
  const count = Math.ceil((window.end - window.start) / width);
  const spread = (spans: Span[]) => spreadOverBins(spans, window.start, width, count);
  const byRole = (role: TalkRole) =>
    roster
      .filter((p) => p.role === role)
      .map((p) => spread(unionOf(p)))
      .reduce((acc, bins) => acc.map((v, i) => v + bins[i]), new Array<number>(count).fill(0));
  const [tutor, learner, parent, other] = [byRole('tutor'), byRole('learner'), byRole('parent'), spread(unattributed)];
  return Array.from({ length: count }, (_, i) => ({
    startSeconds: seconds(window.start + i * width),
    tutorSeconds: seconds(tutor[i]),
    learnerSeconds: seconds(learner[i]),
    parentSeconds: seconds(parent[i]),
    unattributedSeconds: seconds(other[i]),
  }));
}
