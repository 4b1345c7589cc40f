import { matchRosterName } from './name-match';

/** One case per CONTRACT "Talk-time definitions" rule, and the near-misses it must not guess. */
const roster = [
  { personId: 'tutor', displayName: 'Jane Doe' },
  { personId: 'zoe', displayName: 'Zoë Ångström' },
  { personId: 'liam', displayName: "Liam O'Brien" },
  { personId: 'ana', displayName: 'Ana Rivera-Soto' },
  { personId: 'sam1', displayName: 'Sam Lee' },
  { personId: 'sam2', displayName: 'Sam Patel' },
  { personId: 'kim1', displayName: 'Kim Dale' },
  { personId: 'kim2', displayName: 'Kim Dunn' },
];
const match = (label: string) => matchRosterName(label, roster)?.personId ?? null;

describe('speaker attribution against the roster (CONTRACT rules)', () => {
  it('matches a label differing only in case and spacing', () => {
    expect(match('  jane   DOE ')).toBe('tutor');
  });

  it('matches across Unicode normalisation (composed and decomposed accents)', () => {
    expect(match('Zoe\u0308 \u00c5ngstro\u0308m')).toBe('zoe');
  });

  it('matches a label written without accents', () => {
    expect(match('Zoe Angstrom')).toBe('zoe');
  });

  it.each(["Liam O\u2019Brien", 'Liam O\u02bcBrien', 'Liam O`Brien'])('matches apostrophe style %s', (label) => {
    expect(match(label)).toBe('liam');
  });

  it.each(['Ana Rivera Soto', 'Ana Rivera\u2013Soto'])('matches a hyphen written as %s', (label) => {
    expect(match(label)).toBe('ana');
  });

  it.each(['Jane Doe (Guest)', 'Jane Doe (she/her)', 'Jane Doe (Tutor) (she/her)'])('ignores a trailing parenthetical in %s', (label) => {
    expect(match(label)).toBe('tutor');
  });

  it.each(['Jane D.', 'Jane D', 'jane d.'])('matches the abbreviated surname %s', (label) => {
    expect(match(label)).toBe('tutor');
  });

  it('matches a hyphenated surname abbreviated to its initial', () => {
    expect(match('Ana R.')).toBe('ana');
    expect(matchRosterName('Ana Rivera-Soto', [{ personId: 'ana', displayName: 'Ana R.' }])?.personId).toBe('ana');
  });

  it('matches a first name alone when it is unique on the roster', () => {
    expect(match('Jane')).toBe('tutor');
    expect(match('Liam (Guest)')).toBe('liam');
  });

  it.each([
    ['a first name shared by two people', 'Sam'],
    ['an abbreviated surname that fits two people', 'Kim D.'],
    ['a wrong surname initial', 'Jane X.'],
    ['a truncated surname', 'Jane Do'],
    ['a surname alone', 'Doe'],
    ['an abbreviated first name', 'J. Doe'],
    ['a nickname', 'Janey'],
    ['an extra word', 'Jane Doe Smith'],
    ['a parenthetical that is not trailing', 'Jane (Guest) Doe'],
    ['an empty label', ''],
    ['a label that is only a parenthetical', '(Guest)'],
  ])('leaves %s unattributed', (_case, label) => {
    expect(match(label)).toBeNull();
  });
});
