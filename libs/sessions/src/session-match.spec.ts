import { pickSession } from './session-match';

const weekly = [
  { id: 'week1', startsAt: new Date('2026-11-02T15:00:00Z') },
  { id: 'week2', startsAt: new Date('2026-11-09T15:00:00Z') },
  { id: 'week3', startsAt: new Date('2026-11-16T15:00:00Z') },
];

describe('pickSession', () => {
  it('picks the occurrence of a recurring meeting nearest to the recording start', () => {
    expect(pickSession(weekly, new Date('2026-11-09T15:04:00Z'), 240)?.id).toBe('week2');
  });
  it('matches a session that started late within the window', () => {
    expect(pickSession(weekly, new Date('2026-11-16T17:30:00Z'), 240)?.id).toBe('week3');
  });
  it('matches nothing outside the window', () => {
    expect(pickSession(weekly, new Date('2026-11-12T15:00:00Z'), 240)).toBeNull();
  });
  it('refuses to choose between two equally near sessions', () => {
    const twins = [
      { id: 'a', startsAt: new Date('2026-11-02T14:00:00Z') },
      { id: 'b', startsAt: new Date('2026-11-02T16:00:00Z') },
    ];
    expect(pickSession(twins, new Date('2026-11-02T15:00:00Z'), 240)).toBeNull();
  });
});
