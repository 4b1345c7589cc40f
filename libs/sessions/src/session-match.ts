/** A registered session a recording could belong to. */
export interface SessionCandidate {
  id: string;
  startsAt: Date;
}

/**
 * Recurring meetings reuse their Zoom meeting id, so a recording belongs to the session of that
 * meeting id whose scheduled start is nearest to the recording's start, within the window.
 * Two equally near sessions are ambiguous: no match (never guess).
 */
export function pickSession<T extends SessionCandidate>(candidates: readonly T[], recordingStart: Date, windowMinutes: number): T | null {
  const windowMs = windowMinutes * 60_000;
  const scored = candidates
    .map((c) => ({ c, distance: Math.abs(c.startsAt.getTime() - recordingStart.getTime()) }))
    .filter((s) => s.distance <= windowMs)
    .sort((a, b) => a.distance - b.distance);
  if (scored.length === 0) return null;
  if (scored.length > 1 && scored[0].distance === scored[1].distance) return null;
  return scored[0].c;
}
