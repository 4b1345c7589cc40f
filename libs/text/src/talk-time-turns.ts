import { lengthOfSpans, unionOfSpans } from './intervals';
import type { Voiced } from './talk-time-input';

/**
 * A turn is a maximal run of one voice's utterances, taken in order of their start, that no other
 * voice's utterance starts inside: the turn ends when someone else starts to speak, even when they
 * only overlap ("mm-hm" over the tutor) and the first voice carries on. Pauses never end a turn by
 * themselves: the tutor speaking, a silence, and the tutor speaking again is one turn. A turn lasts
 * the time its voice actually speaks in it (the union of its utterances), so pauses inside a turn
 * do not lengthen it. Utterances that start at the same moment are taken in input order.
 */
export interface Turn {
  voice: string;
  /** Milliseconds of speech in the turn. */
  length: number;
}

export function turnsOf(sorted: readonly Voiced[]): Turn[] {
  const turns: Turn[] = [];
  let run: Voiced[] = [];
  const close = () => {
    if (run.length > 0) turns.push({ voice: run[0].voice, length: lengthOfSpans(unionOfSpans(run)) });
  };
  for (const u of sorted) {
    if (run.length > 0 && run[0].voice !== u.voice) {
      close();
      run = [];
    }
    run.push(u);
  }
  close();
  return turns;
}

/**
 * Sentences ending in a question mark: a "?" (or a run like "?!" or "??") followed by the end of the
 * text or a space, after any closing quotes or brackets. A "?" inside a word or a link
 * ("page?id=3") ends no sentence.
 */
const QUESTION_END = /[?\uFF1F][?!\uFF1F\uFF01]*["'\u2019\u201D\u00BB)\]]*(?=\s|$)/gu;

export function countQuestions(text: string): number {
  return text.match(QUESTION_END)?.length ?? 0;
}

export interface QuestionStats {
  questions: number;
  /** Milliseconds, summed over answered questions. */
  answeredWaitTotal: number;
  answered: number;
  unanswered: number;
}

/**
 * Tutor questions and the wait after them. Every question sentence is a question. A question's
 * wait runs from the end of the tutor utterance that asks it to the moment a learner speaks: the
 * start of the first learner utterance still going on after that end (0 when a learner is already
 * speaking as the tutor finishes). A question is answered when that moment comes before the tutor's
 * next question (the start of the next question-asking tutor utterance); otherwise it is unanswered
 * and left out of the mean wait. Several questions in one utterance are stacked: each but the last
 * is followed at once by the next, so only the last can be answered. So answered + unanswered =
 * questions, always.
 */
export function tutorQuestions(sorted: readonly Voiced[]): QuestionStats {
  const asking = sorted
    .filter((u) => u.person?.role === 'tutor')
    .map((u) => ({ u, count: countQuestions(u.text) }))
    .filter((q) => q.count > 0);
  const learners = sorted.filter((u) => u.person?.role === 'learner');
  const latestEnd = prefixLatestEnd(learners);
  const stats: QuestionStats = { questions: 0, answeredWaitTotal: 0, answered: 0, unanswered: 0 };
  asking.forEach(({ u, count }, i) => {
    stats.questions += count;
    stats.unanswered += count - 1;
    const next = asking[i + 1]?.u.start ?? Infinity;
    const spoke = learnerSpeaksAt(learners, latestEnd, u.end);
    if (spoke !== null && spoke < next) {
      stats.answered += 1;
      stats.answeredWaitTotal += spoke - u.end;
    } else {
      stats.unanswered += 1;
    }
  });
  return stats;
}

/** latestEnd[k] = the latest end among the first k learner utterances (by start). */
function prefixLatestEnd(learners: readonly Voiced[]): number[] {
  const out = [-Infinity];
  for (const u of learners) out.push(Math.max(out[out.length - 1], u.end));
  return out;
}

/** The first moment at or after `at` when a learner speaks, or null when none does. */
function learnerSpeaksAt(learners: readonly Voiced[], latestEnd: readonly number[], at: number): number | null {
  // k = how many learner utterances start before `at` (binary search over starts).
  let lo = 0;
  let hi = learners.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (learners[mid].start < at) lo = mid + 1;
    else hi = mid;
  }
  if (latestEnd[lo] > at) return at;
  return learners[lo]?.start ?? null;
}
