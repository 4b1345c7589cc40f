import { RegionHolidayCalendar } from './holiday-calendar';
import { addRetention, DEFAULT_POLICIES, expiryOf, InvalidPolicy, nextExpiry, NO_HOLIDAYS, validateRules } from './policy';

const england = new RegionHolidayCalendar('GB-ENG');
const at = (iso: string) => new Date(iso);

describe('retention policy (POLICIES §2)', () => {
  it('deletes video 30 days after the session starts in the tutoring profile', () => {
    expect(expiryOf('video', at('2026-11-02T15:00:00Z'), DEFAULT_POLICIES.tutoring, england)).toEqual(at('2026-12-02T15:00:00Z'));
  });

  it('deletes video 90 days after the session starts in the classes profile', () => {
    expect(expiryOf('video', at('2026-11-02T15:00:00Z'), DEFAULT_POLICIES.classes, england)).toEqual(at('2027-01-31T15:00:00Z'));
  });

  it('keeps audio, participant audio and stream renditions exactly as long as video', () => {
    for (const kind of ['audio', 'participant_audio', 'stream'] as const) {
      expect(expiryOf(kind, at('2026-11-02T15:00:00Z'), DEFAULT_POLICIES.tutoring, england)).toEqual(at('2026-12-02T15:00:00Z'));
    }
  });

  it('deletes transcripts, chat logs, timelines and talk-time reports 3 years after the session starts in both profiles', () => {
    for (const profile of ['tutoring', 'classes'] as const) {
      for (const kind of ['transcript', 'chat', 'timeline', 'talk_time', 'other'] as const) {
        expect(expiryOf(kind, at('2026-11-02T15:00:00Z'), DEFAULT_POLICIES[profile], england)).toEqual(at('2029-11-02T15:00:00Z'));
      }
    }
  });

  it('moves 29 February plus 3 years to 28 February', () => {
    expect(addRetention(at('2028-02-29T10:00:00Z'), { amount: 3, unit: 'years' }, NO_HOLIDAYS)).toEqual(at('2031-02-28T10:00:00Z'));
  });

  it('removes images 5 working days after upload, skipping the weekend', () => {
    // Thursday 5 Nov 2026 → Fri, Mon, Tue, Wed, Thu: Thursday 12 Nov.
    expect(expiryOf('image', at('2026-11-05T09:30:00Z'), DEFAULT_POLICIES.tutoring, england)).toEqual(at('2026-11-12T09:30:00Z'));
  });

  it('removes images 5 working days after upload, skipping a weekend and a bank holiday', () => {
    // Thursday 21 May 2026; Monday 25 May is the Spring bank holiday in England.
    // Fri 22, (Sat, Sun, Mon 25 holiday), Tue 26, Wed 27, Thu 28, Fri 29.
    expect(expiryOf('image', at('2026-05-21T12:00:00Z'), DEFAULT_POLICIES.tutoring, england)).toEqual(at('2026-05-29T12:00:00Z'));
    // The same upload in a region without that holiday is one working day earlier.
    expect(expiryOf('image', at('2026-05-21T12:00:00Z'), DEFAULT_POLICIES.tutoring, NO_HOLIDAYS)).toEqual(at('2026-05-28T12:00:00Z'));
  });

  it('counts Christmas, Boxing Day and its substitute day as non-working days', () => {
    // Wed 23 Dec 2026: Thu 24, (Fri 25, Sat, Sun, Mon 28 substitute), Tue 29, Wed 30, Thu 31, Fri 1 Jan is New Year → Mon 4 Jan.
    expect(addRetention(at('2026-12-23T08:00:00Z'), { amount: 5, unit: 'working_days' }, england)).toEqual(at('2027-01-04T08:00:00Z'));
  });

  it('has no expiry for a verification video until its review decision, then a short one', () => {
    expect(expiryOf('verification_video', null, DEFAULT_POLICIES.tutoring, england)).toBeNull();
    expect(expiryOf('verification_video', at('2026-11-02T10:00:00Z'), DEFAULT_POLICIES.tutoring, england)).toEqual(at('2026-11-03T10:00:00Z'));
  });

  it('leaves research exports to the study agreement', () => {
    expect(expiryOf('research_export', at('2026-11-02T10:00:00Z'), DEFAULT_POLICIES.tutoring, england)).toBeNull();
  });

  it('applies a shortened or lengthened expiry to what is still kept, and never revives what is gone', () => {
    const now = at('2026-12-01T00:00:00Z');
    expect(nextExpiry(now, at('2026-11-20T00:00:00Z'), 'stored')).toEqual(at('2026-11-20T00:00:00Z'));
    expect(nextExpiry(now, at('2027-01-01T00:00:00Z'), 'stored')).toEqual(at('2027-01-01T00:00:00Z'));
    expect(nextExpiry(now, at('2027-01-01T00:00:00Z'), 'deleted')).toBe('unchanged');
    expect(nextExpiry(now, now, 'stored')).toBe('unchanged');
  });

  it('accepts the defaults and refuses malformed rules with the offending kind', () => {
    expect(validateRules(JSON.parse(JSON.stringify(DEFAULT_POLICIES.classes)))).toEqual(DEFAULT_POLICIES.classes);
    const broken = JSON.parse(JSON.stringify(DEFAULT_POLICIES.tutoring));
    broken.video.keep = { amount: -1, unit: 'days' };
    expect(() => validateRules(broken)).toThrow(InvalidPolicy);
    expect(() => validateRules(broken)).toThrow('rules.video.keep');
    delete broken.video;
    expect(() => validateRules(broken)).toThrow('rules.video is missing');
  });
});
