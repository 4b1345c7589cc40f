import { inboxRounds } from './delivery-inbox.repository';

const copy = (dedupeKey: string, bodySha256: string) => ({ dedupeKey, bodySha256 });

describe('inboxRounds (which copies go in which statement of a group commit)', () => {
  it('puts distinct deliveries in one round, in arrival order', () => {
    expect(inboxRounds([copy('a', '1'), copy('b', '1'), copy('c', '2')])).toEqual([[0, 1, 2]]);
  });

  it('leaves out an identical repeat of a key already in the round', () => {
    expect(inboxRounds([copy('a', '1'), copy('b', '1'), copy('a', '1')])).toEqual([[0, 1]]);
  });

  it('sends a copy with another body (a fresh token) in the next round', () => {
    expect(inboxRounds([copy('a', '1'), copy('a', '2'), copy('b', '1')])).toEqual([[0, 2], [1]]);
  });

  it('keeps arrival order for a key that changes body and back: every copy after a waiting one waits too', () => {
    // Sequentially: 1 is stored, 2 replaces it, 1 replaces 2 again. Dropping the third as a repeat of the first would end on 2.
    expect(inboxRounds([copy('a', '1'), copy('a', '2'), copy('a', '1')])).toEqual([[0], [1], [2]]);
  });

  it('answers no rounds for no deliveries', () => {
    expect(inboxRounds([])).toEqual([]);
  });
});
