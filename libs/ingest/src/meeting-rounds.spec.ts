import { meetingRounds } from './meeting-rounds';

describe('meetingRounds (which deliveries of a batch are ingested in which statement)', () => {
  it('puts deliveries of distinct meetings in one round, in queue order', () => {
    expect(meetingRounds(['m1', 'm2', 'm3'])).toEqual([[0, 1, 2]]);
  });

  it('sends the second delivery of a meeting to the next round, and the third to the one after', () => {
    expect(meetingRounds(['m1', 'm2', 'm1', 'm1', 'm3'])).toEqual([[0, 1, 4], [2], [3]]);
  });

  it('answers no rounds for no deliveries', () => {
    expect(meetingRounds([])).toEqual([]);
  });
});
