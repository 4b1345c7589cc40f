/**
 * Splits deliveries ingested together into rounds in which each meeting instance appears at most
 * once (one statement cannot upsert a recording row twice): the k-th delivery of a meeting goes in
 * round k, so a meeting's deliveries are ingested in their queue order. Answers indexes.
 */
export function meetingRounds(meetingUuids: readonly string[]): number[][] {
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  meetingUuids.forEach((uuid, i) => {
    const round = seen.get(uuid) ?? 0;
    seen.set(uuid, round + 1);
    (rounds[round] ??= []).push(i);
  });
  return rounds;
}
