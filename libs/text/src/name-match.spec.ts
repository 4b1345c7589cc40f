import { matchRosterName, namesMatch, normaliseName } from './name-match';

const roster = [
  { personId: 't1', displayName: 'Ana María Rivera-Soto' },
  { personId: 'l1', displayName: 'Elisa Lopez' },
  { personId: 'l2', displayName: "Liam O'Brien" },
  { personId: 'l3', displayName: 'Tom Kim' },
  { personId: 'l4', displayName: 'Tom Baker' },
];

describe('name matching', () => {
  it('normalises case, accents, apostrophes, hyphens and trailing parentheticals', () => {
    expect(normaliseName('  ANA  María Rivera-Soto (she/her) (Guest)')).toBe('ana maria rivera soto');
    expect(normaliseName('Liam O\u2019Brien')).toBe("liam o'brien");
  });

  it.each([
    ['ana maria rivera soto', 't1'],
    ['Ana María Rivera Soto (Guest)', 't1'],
    ['Liam O’Brien', 'l2'],
    ['Elisa L', 'l1'],
    ['Elisa L.', 'l1'],
    ['elisa', 'l1'],
    ['Liam', 'l2'],
    ['Ana', 't1'],
  ])('matches %s', (label, personId) => {
    expect(matchRosterName(label, roster)?.personId).toBe(personId);
  });

  it.each([['Tom'], ['Elisa M'], ['Eli'], ['Mrs Lopez'], [''], ['Maria']])('never guesses for %s', (label) => {
    expect(matchRosterName(label, roster)).toBeNull();
  });

  it('matches a full label to an abbreviated roster name too', () => {
    expect(namesMatch('Elisa Lopez', 'Elisa L.')).toBe(true);
    expect(namesMatch('Elisa Lopez', 'Elisa M.')).toBe(false);
  });
});
