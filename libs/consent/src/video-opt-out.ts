/** An artifact of a recording, as the video opt-out rule sees it. */
export interface OptOutArtifact {
  id: string;
  kind: string;
  status: string;
  /** The video an audio track or a stream rendition was made from. */
  derivedFrom: string | null;
  /** Already on its way out (an earlier opt-out, erasure). */
  deletionRequested: boolean;
}

export interface VideoOptOutPlan {
  /** Videos to extract an audio track from first (the recording has no audio of its own). */
  deriveAudioFrom: string[];
  /** Stored videos kept until the audio extracted from them is stored (or has failed for good). */
  waitFor: string[];
  /** Videos and stream renditions to remove: pending ones are discarded, stored ones deleted. */
  remove: string[];
}

const LIVE = new Set(['pending', 'stored']);

/**
 * POLICIES §4: a session with an opted-out learner keeps no video, but keeps its audio. Audio is
 * Zoom's own M4A when there is one (pending or stored); otherwise it is extracted from each video
 * before that video goes. A video not stored yet can go at once (its audio is taken from Zoom's
 * copy); a stored one waits for its extracted audio. Stream renditions of any video go at once.
 */
export function planVideoOptOut(artifacts: readonly OptOutArtifact[]): VideoOptOutPlan {
  const live = (a: OptOutArtifact) => LIVE.has(a.status) && !a.deletionRequested;
  const videoIds = new Set(artifacts.filter((a) => a.kind === 'video').map((a) => a.id));
  const hasOwnAudio = artifacts.some((a) => a.kind === 'audio' && a.derivedFrom === null && LIVE.has(a.status));
  const plan: VideoOptOutPlan = { deriveAudioFrom: [], waitFor: [], remove: [] };
  for (const video of artifacts.filter((a) => a.kind === 'video' && live(a))) {
    if (!hasOwnAudio) {
      const derived = artifacts.find((a) => a.kind === 'audio' && a.derivedFrom === video.id);
      if (!derived) plan.deriveAudioFrom.push(video.id);
      const extracting = !derived || derived.status === 'pending';
      if (video.status === 'stored' && extracting) {
        plan.waitFor.push(video.id);
        continue;
      }
    }
    plan.remove.push(video.id);
  }
  plan.remove.push(...artifacts.filter((a) => a.kind === 'stream' && live(a) && a.derivedFrom !== null && videoIds.has(a.derivedFrom)).map((a) => a.id));
  return plan;
}
