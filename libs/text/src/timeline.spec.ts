import { parseTimeline } from './timeline';
import { TimelineMalformed } from './text-errors';

const user = (username: string) => ({ username, email_address: '', user_id: '1', zoom_userid: 'z', multiple_people: false, client_type: 1, avatar_url: '' });
const doc = (...entries: [string, string[]][]) =>
  JSON.stringify({ timeline: entries.map(([ts, users]) => ({ ts, users: users.map(user) })) });

function malformed(source: string, endSeconds?: number): TimelineMalformed {
  try {
    parseTimeline(source, { endSeconds });
  } catch (e) {
    if (e instanceof TimelineMalformed) return e;
    throw e;
  }
  throw new Error('expected TimelineMalformed');
}

describe('parseTimeline', () => {
  it('gives each entry\'s speaker the time until the next entry', () => {
    const speakers = parseTimeline(doc(['00:00:01.000', ['Jane']], ['00:00:04.500', ['Elisa']], ['00:00:10.000', ['Jane']]), { endSeconds: 12 });
    expect(speakers).toEqual([
      { username: 'Jane', intervals: [{ startSeconds: 1, endSeconds: 4.5 }, { startSeconds: 10, endSeconds: 12 }] },
      { username: 'Elisa', intervals: [{ startSeconds: 4.5, endSeconds: 10 }] },
    ]);
  });

  it('counts nothing for the last entry when the recording length is unknown', () => {
    const speakers = parseTimeline(doc(['00:00:01.000', ['Jane']], ['00:00:03.000', ['Elisa']]));
    expect(speakers).toEqual([{ username: 'Jane', intervals: [{ startSeconds: 1, endSeconds: 3 }] }]);
  });

  it('merges back-to-back entries of the same speaker', () => {
    const [jane] = parseTimeline(doc(['00:00:00.000', ['Jane']], ['00:00:02.000', ['Jane']], ['00:00:05.000', []]));
    expect(jane.intervals).toEqual([{ startSeconds: 0, endSeconds: 5 }]);
  });

  it('lets several users speak at once and an empty entry mean nobody speaks', () => {
    const speakers = parseTimeline(doc(['00:00:00.000', ['Jane', 'Elisa']], ['00:00:02.000', []], ['00:00:04.000', ['Elisa']]), { endSeconds: 5 });
    expect(speakers).toEqual([
      { username: 'Jane', intervals: [{ startSeconds: 0, endSeconds: 2 }] },
      { username: 'Elisa', intervals: [{ startSeconds: 0, endSeconds: 2 }, { startSeconds: 4, endSeconds: 5 }] },
    ]);
  });

  it('reads hours and times without milliseconds', () => {
    const [jane] = parseTimeline(doc(['01:00:00', ['Jane']], ['01:00:30.250', []]));
    expect(jane.intervals).toEqual([{ startSeconds: 3600, endSeconds: 3630.25 }]);
  });

  it.each([
    ['text that is not JSON', '{"timeline": [', null, /not JSON/],
    ['a document without a timeline array', '{"entries": []}', null, /no "timeline"/],
    ['an empty timeline', '{"timeline": []}', null, /no entries/],
    ['an entry that is not an object', '{"timeline": [1]}', 0, /not an object/],
    ['a missing ts', '{"timeline": [{"users": []}]}', 0, /ts is not/],
    ['a ts that is not a time', doc(['00:00:01.000', []], ['soon', []]), 1, /ts is not/],
    ['users that are not an array', '{"timeline": [{"ts": "00:00:01.000", "users": {}}]}', 0, /users is not/],
    ['a user without a username', '{"timeline": [{"ts": "00:00:01.000", "users": [{"user_id": "1"}]}]}', 0, /without a username/],
    ['entries out of order', doc(['00:00:05.000', []], ['00:00:01.000', []]), 1, /before the previous/],
  ])('rejects %s with TimelineMalformed naming the entry', (_case, source, entry, reason) => {
    const err = malformed(source);
    expect(err.entry).toBe(entry);
    expect(err.reason).toMatch(reason);
  });

  it('rejects an entry after the end of the recording', () => {
    expect(malformed(doc(['00:00:05.000', ['Jane']]), 3).reason).toMatch(/after the end/);
  });
});
