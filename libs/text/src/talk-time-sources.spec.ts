import { TalkRosterPerson } from './talk-time-input';
import { talkTimeFromTimeline, talkTimeFromTracks, talkTimeFromTranscript } from './talk-time-sources';
import { TalkTimeInputInvalid } from './text-errors';
import { parseTimeline } from './timeline';
import { parseWebVtt } from './webvtt';

const roster: TalkRosterPerson[] = [
  { personId: 'tutor', displayName: 'Jane Doe', role: 'tutor' },
  { personId: 'zoe', displayName: 'Zoë Ní Bhriain', role: 'learner' },
  { personId: 'ben', displayName: 'Ben Okafor', role: 'learner' },
];
const vtt = (...cues: [string, string][]) =>
  ['WEBVTT', '', ...cues.flatMap(([timing, text], i) => [String(i + 1), timing, text, ''])].join('\n');

describe('talkTimeFromTranscript', () => {
  it("attributes a cue to the roster person its label names, by CONTRACT's rules only", () => {
    const cues = parseWebVtt(
      vtt(['00:00:00.000 --> 00:00:04.000', 'Jane: Hello.'], ['00:00:04.000 --> 00:00:06.000', 'zoe ni bhriain (she/her): Hi.'], ['00:00:06.000 --> 00:00:07.000', 'J. Doe: ok']),
    );
    const r = talkTimeFromTranscript(cues, roster);
    expect(r).toMatchObject({ source: 'transcript', tutorSeconds: 4, learnerSeconds: 2, unattributedSeconds: 1, unattributedSpeakers: 1 });
  });

  it('keeps a continuing cue with the previous speaker', () => {
    const cues = parseWebVtt(vtt(['00:00:00.000 --> 00:00:02.000', 'Ben Okafor: One'], ['00:00:02.000 --> 00:00:05.000', 'two']));
    expect(talkTimeFromTranscript(cues, roster).learners[1]).toEqual({ personId: 'ben', seconds: 5, share: 1 });
  });

  it('counts distinct unmatched labels and never puts a label in the report', () => {
    const cues = parseWebVtt(
      vtt(['00:00:00.000 --> 00:00:01.000', 'Unknown Caller: hi'], ['00:00:01.000 --> 00:00:02.000', 'iPad de Marta: hi'], ['00:00:02.000 --> 00:00:03.000', 'Unknown Caller: hi']),
    );
    const r = talkTimeFromTranscript(cues, roster);
    expect(r.unattributedSpeakers).toBe(2);
    expect(JSON.stringify(r)).not.toMatch(/Unknown Caller|Marta/);
  });

  it('counts cues before anyone is named as unattributed seconds but as no speaker', () => {
    const cues = parseWebVtt(vtt(['00:00:00.000 --> 00:00:03.000', 'hello?'], ['00:00:03.000 --> 00:00:04.000', 'Jane Doe: Hi!']));
    expect(talkTimeFromTranscript(cues, roster)).toMatchObject({ unattributedSeconds: 3, unattributedSpeakers: 0, tutorSeconds: 1 });
  });

  it('reads questions from the cue text', () => {
    const cues = parseWebVtt(vtt(['00:00:00.000 --> 00:00:03.000', 'Jane Doe: Ready? Go on?'], ['00:00:05.000 --> 00:00:06.000', 'Ben Okafor: yes']));
    expect(talkTimeFromTranscript(cues, roster).tutor).toMatchObject({ questions: 2, unansweredQuestions: 1, meanWaitSeconds: 2 });
  });
});

describe('talkTimeFromTimeline', () => {
  const timeline = JSON.stringify({
    timeline: [
      { ts: '00:00:05.000', users: [{ username: 'Jane Doe' }] },
      { ts: '00:00:20.000', users: [{ username: 'Zoe Ni Bhriain' }, { username: 'Jane Doe' }] },
      { ts: '00:00:30.000', users: [{ username: 'Somebody Else' }] },
      { ts: '00:00:40.000', users: [{ username: 'Jane Doe' }] },
    ],
  });

  it('matches usernames to the roster, leaves the rest unattributed and runs the session from 0 to the recording end', () => {
    const r = talkTimeFromTimeline(parseTimeline(timeline, { endSeconds: 60 }), roster, 60);
    expect(r).toMatchObject({
      source: 'timeline',
      sessionSeconds: 60,
      tutorSeconds: 45,
      learnerSeconds: 10,
      unattributedSeconds: 10,
      unattributedSpeakers: 1,
      overlapSeconds: 10,
      silenceSeconds: 5,
    });
    expect(r.tutor).toMatchObject({ questions: null, turns: 2, longestMonologueSeconds: 25 });
  });

  it('ends the session at the last entry when the recording length is unknown', () => {
    const r = talkTimeFromTimeline(parseTimeline(timeline), roster);
    expect(r).toMatchObject({ sessionSeconds: 40, tutorSeconds: 25 });
  });
});

describe('talkTimeFromTracks', () => {
  it("counts each person's detected speech over the recording's length", () => {
    const r = talkTimeFromTracks(
      [
        { personId: 'tutor', intervals: [{ startSeconds: 1.5, endSeconds: 10.25 }] },
        { personId: 'zoe', intervals: [{ startSeconds: 10, endSeconds: 12 }, { startSeconds: 30, endSeconds: 31 }] },
      ],
      roster,
      40,
    );
    expect(r).toMatchObject({
      source: 'participant_audio',
      sessionSeconds: 40,
      tutorSeconds: 8.75,
      learnerSeconds: 3,
      overlapSeconds: 0.25,
      silenceSeconds: 40 - 8.75 - 3 + 0.25,
      silentLearners: ['ben'],
    });
    expect(r.tutor.questions).toBeNull();
  });

  it('cuts speech detected past the end of the recording', () => {
    const r = talkTimeFromTracks([{ personId: 'tutor', intervals: [{ startSeconds: 38, endSeconds: 40.02 }] }], roster, 40);
    expect(r.tutorSeconds).toBe(2);
  });

  it('refuses a track of someone not on the roster, and a duration that is not a number', () => {
    expect(() => talkTimeFromTracks([{ personId: 'stranger', intervals: [] }], roster, 10)).toThrow(
      new TalkTimeInputInvalid('track 1', 'its person is not on the roster'),
    );
    expect(() => talkTimeFromTracks([], roster, NaN)).toThrow(TalkTimeInputInvalid);
  });
});
