import { OptOutArtifact, planVideoOptOut } from './video-opt-out';

const a = (id: string, kind: string, status: string, derivedFrom: string | null = null, deletionRequested = false): OptOutArtifact => ({
  id,
  kind,
  status,
  derivedFrom,
  deletionRequested,
});

describe('video opt-out plan (POLICIES §4: no video; audio, transcript and chat kept)', () => {
  it('withholds a video not yet stored when Zoom sent an audio-only file, and derives nothing', () => {
    const plan = planVideoOptOut([a('v', 'video', 'pending'), a('m4a', 'audio', 'pending'), a('t', 'transcript', 'pending'), a('c', 'chat', 'pending')]);
    expect(plan).toEqual({ deriveAudioFrom: [], waitFor: [], remove: ['v'] });
  });

  it('extracts audio from each video when there is no audio-only file, and withholds the videos at once', () => {
    const plan = planVideoOptOut([a('v1', 'video', 'pending'), a('v2', 'video', 'pending'), a('t', 'transcript', 'pending')]);
    expect(plan).toEqual({ deriveAudioFrom: ['v1', 'v2'], waitFor: [], remove: ['v1', 'v2'] });
  });

  it('deletes a stored video and its stream renditions when audio is kept', () => {
    const plan = planVideoOptOut([a('v', 'video', 'stored'), a('s', 'stream', 'stored', 'v'), a('m4a', 'audio', 'stored')]);
    expect(plan).toEqual({ deriveAudioFrom: [], waitFor: [], remove: ['v', 's'] });
  });

  it('keeps a stored video until the audio taken from it is stored, but removes its streams at once', () => {
    expect(planVideoOptOut([a('v', 'video', 'stored'), a('s', 'stream', 'stored', 'v')])).toEqual({ deriveAudioFrom: ['v'], waitFor: ['v'], remove: ['s'] });
    expect(planVideoOptOut([a('v', 'video', 'stored'), a('x', 'audio', 'pending', 'v')])).toEqual({ deriveAudioFrom: [], waitFor: ['v'], remove: [] });
  });

  it('deletes the stored video once its audio is stored, or has failed for good', () => {
    expect(planVideoOptOut([a('v', 'video', 'stored'), a('x', 'audio', 'stored', 'v')]).remove).toEqual(['v']);
    expect(planVideoOptOut([a('v', 'video', 'stored'), a('x', 'audio', 'failed', 'v')]).remove).toEqual(['v']);
  });

  it('does nothing twice: what is already gone or going is left alone', () => {
    const plan = planVideoOptOut([
      a('v', 'video', 'discarded'),
      a('w', 'video', 'stored', null, true),
      a('s', 'stream', 'deleted', 'w'),
      a('x', 'audio', 'stored', 'v'),
    ]);
    expect(plan).toEqual({ deriveAudioFrom: [], waitFor: [], remove: [] });
  });

  it('removes a stream still being packaged from a removed video, and keeps the audio-only stream of the recording', () => {
    const plan = planVideoOptOut([
      a('v', 'video', 'stored'),
      a('s', 'stream', 'pending', 'v'),
      a('m4a', 'audio', 'stored'),
      a('as', 'stream', 'stored', 'm4a'),
    ]);
    expect(plan).toEqual({ deriveAudioFrom: [], waitFor: [], remove: ['v', 's'] });
  });

  it('removes the streams of a video withheld before it was stored', () => {
    expect(planVideoOptOut([a('v', 'video', 'pending'), a('s', 'stream', 'pending', 'v'), a('m4a', 'audio', 'pending')]).remove).toEqual(['v', 's']);
  });

  it('never touches audio, participant audio, transcripts, chat or timelines', () => {
    const kept = ['audio', 'participant_audio', 'transcript', 'chat', 'timeline'].map((kind, i) => a(`k${i}`, kind, 'stored'));
    expect(planVideoOptOut([a('v', 'video', 'stored'), ...kept]).remove).toEqual(['v']);
  });
});
