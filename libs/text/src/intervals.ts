/**
 * Interval arithmetic for talk time, over whole milliseconds so that sums of many cues never drift
 * (0.1 + 0.2 seconds is exactly 300 ms here). Spans are half-open, [start, end): two cues that
 * touch (one ends at 4.000, the next starts at 4.000) neither overlap nor leave a gap.
 */
export interface Span {
  start: number;
  end: number;
}

/** Sorted, disjoint spans covering exactly what the input covers; empty spans vanish. */
export function unionOfSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Total length of spans that are already disjoint (the output of `unionOfSpans`). */
export function lengthOfSpans(disjoint: readonly Span[]): number {
  return disjoint.reduce((sum, s) => sum + (s.end - s.start), 0);
}

/**
 * How much of disjoint spans falls into each of `count` consecutive bins of `width` starting at
 * `origin`. A span crossing a boundary is split between the bins, so the bins add up to the total.
 */
export function spreadOverBins(disjoint: readonly Span[], origin: number, width: number, count: number): number[] {
  const bins = new Array<number>(count).fill(0);
  for (const s of disjoint) {
    const first = Math.max(0, Math.floor((s.start - origin) / width));
    const last = Math.min(count - 1, Math.floor((s.end - 1 - origin) / width));
    for (let i = first; i <= last; i++) {
      const from = Math.max(s.start, origin + i * width);
      const to = Math.min(s.end, origin + (i + 1) * width);
      if (to > from) bins[i] += to - from;
    }
  }
  return bins;
}

/**
 * Within [from, to): the time when two or more of the voices speak at once, and the time when none
 * does. Each voice is given as its own union, so a voice overlapping itself never counts.
 */
export function overlapAndSilence(voices: ReadonlyArray<readonly Span[]>, from: number, to: number): { overlap: number; silence: number } {
  const events: Array<[number, number]> = [];
  for (const spans of voices) {
    for (const s of spans) {
      const start = Math.max(s.start, from);
      const end = Math.min(s.end, to);
      if (end > start) events.push([start, 1], [end, -1]);
    }
  }
  events.sort((a, b) => a[0] - b[0]);
  let overlap = 0;
  let speaking = 0;
  let at = from;
  let active = 0;
  for (const [time, delta] of events) {
    if (time > at) {
      if (active >= 2) overlap += time - at;
      if (active >= 1) speaking += time - at;
      at = time;
    }
    active += delta;
  }
  return { overlap, silence: to - from - speaking };
}
