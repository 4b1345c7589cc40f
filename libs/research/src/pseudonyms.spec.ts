import { newStudySecret, pseudonym, studySecret } from './pseudonyms';

const master = Buffer.alloc(32, 3);

describe('study pseudonyms', () => {
  const one = studySecret(newStudySecret(master), master);
  const other = studySecret(newStudySecret(master), master);

  it('are stable within a study', () => {
    expect(pseudonym(one, 'learner', 'elisa')).toBe(pseudonym(one, 'learner', 'elisa'));
  });
  it('differ across studies and between people', () => {
    expect(pseudonym(one, 'learner', 'elisa')).not.toBe(pseudonym(other, 'learner', 'elisa'));
    expect(pseudonym(one, 'learner', 'elisa')).not.toBe(pseudonym(one, 'learner', 'tom'));
  });
  it('keep the role readable and the person not', () => {
    expect(pseudonym(one, 'tutor', 'tutor-1')).toMatch(/^\[TUTOR [0-9a-f]{10}\]$/);
    expect(pseudonym(one, 'session', 's1')).toMatch(/^session-[0-9a-f]{10}$/);
    expect(pseudonym(one, 'tutor', 'tutor-1')).not.toContain('tutor-1');
  });
  it('cannot be unwrapped with another master key', () => {
    expect(() => studySecret(newStudySecret(master), Buffer.alloc(32, 4))).toThrow(/not wrapped by this master key/);
  });
});
