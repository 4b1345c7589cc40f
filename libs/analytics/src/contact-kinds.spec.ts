import { CONTACT_KINDS } from '@lib/config';
import { findContactDetails } from '@lib/text';

describe('the kinds SAFETY_AUTO_HOLD_KINDS accepts', () => {
  it('are exactly the kinds the detectors report', () => {
    const text = [
      'jane.doe@gmail.com',
      '07700 900123',
      'my insta is @jane_doe22',
      '12 Baker Street, London NW1 6XE',
      'https://meet.google.com/abc-defg-hij',
      'add me on snapchat',
    ].join(' . ');
    const found = new Set(findContactDetails(text, { allowedDomains: [] }).map((d) => d.kind));
    expect([...found].sort()).toEqual([...CONTACT_KINDS].sort());
  });
});
