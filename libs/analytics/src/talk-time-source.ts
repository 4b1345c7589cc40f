import type { TalkTimeSource } from '@lib/text';

export interface SourceCandidate {
  id: string;
  kind: 'transcript' | 'chat' | 'timeline' | 'participant_audio';
  delete_requested: boolean;
}

export interface TalkTimeAttempt<T extends SourceCandidate> {
  source: TalkTimeSource;
  artifacts: T[];
}

/**
 * The talk-time sources of a recording, best first (issue 13 item 3): per-participant audio (each
 * person's own track, no attribution needed) > the transcript's cue timings > the timeline. Audio
 * counts only once no track is still downloading (half the tracks would undercount everyone not
 * in them); the newest transcript and timeline stand for their kind. Files being deleted are never
 * a source. Analysis tries them in this order and keeps the first it can read.
 */
export function talkTimeAttempts<T extends SourceCandidate>(stored: readonly T[], pendingTracks: number): TalkTimeAttempt<T>[] {
  const usable = stored.filter((s) => !s.delete_requested);
  const attempts: TalkTimeAttempt<T>[] = [];
  const tracks = usable.filter((s) => s.kind === 'participant_audio');
  if (tracks.length > 0 && pendingTracks === 0) attempts.push({ source: 'participant_audio', artifacts: tracks });
  const transcript = usable.filter((s) => s.kind === 'transcript').at(-1);
  if (transcript) attempts.push({ source: 'transcript', artifacts: [transcript] });
  const timeline = usable.filter((s) => s.kind === 'timeline').at(-1);
  if (timeline) attempts.push({ source: 'timeline', artifacts: [timeline] });
  return attempts;
}
