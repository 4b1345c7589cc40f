import { talkTimeAttempts } from './talk-time-source';

const file = (id: string, kind: 'transcript' | 'chat' | 'timeline' | 'participant_audio', deleteRequested = false) => ({ id, kind, delete_requested: deleteRequested });

describe('the talk-time source of a recording', () => {
  it('prefers per-participant audio, then the transcript, then the timeline', () => {
    const attempts = talkTimeAttempts([file('t1', 'timeline'), file('v1', 'transcript'), file('a1', 'participant_audio'), file('a2', 'participant_audio'), file('c1', 'chat')], 0);
    expect(attempts.map((a) => [a.source, a.artifacts.map((f) => f.id)])).toEqual([
      ['participant_audio', ['a1', 'a2']],
      ['transcript', ['v1']],
      ['timeline', ['t1']],
    ]);
  });

  it('waits for every track before using audio: the transcript stands in meanwhile', () => {
    const attempts = talkTimeAttempts([file('a1', 'participant_audio'), file('v1', 'transcript')], 1);
    expect(attempts.map((a) => a.source)).toEqual(['transcript']);
  });

  it('uses the newest transcript when Zoom sent more than one', () => {
    const attempts = talkTimeAttempts([file('old', 'transcript'), file('new', 'transcript')], 0);
    expect(attempts[0].artifacts.map((f) => f.id)).toEqual(['new']);
  });

  it('never uses a file that is being deleted, and has nothing to try without a source', () => {
    expect(talkTimeAttempts([file('v1', 'transcript', true), file('c1', 'chat')], 0)).toEqual([]);
  });
});
