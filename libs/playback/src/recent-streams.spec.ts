import type { StoredStream } from './playback.repository';
import { RecentStreams } from './recent-streams';

const stream = (artifactId: string) => ({ artifactId }) as unknown as StoredStream;

describe('RecentStreams', () => {
  it('remembers a stream for its time to live and no longer', () => {
    const recent = new RecentStreams(10_000);
    recent.remember('r1', stream('s1'), 1_000);
    expect(recent.get('r1', 10_999)).toEqual(stream('s1'));
    expect(recent.get('r1', 11_000)).toBeNull();
    expect(recent.get('r1', 10_999)).toBeNull();
  });

  it('knows nothing of a recording it was not told about, or was told to forget', () => {
    const recent = new RecentStreams();
    expect(recent.get('r1', 0)).toBeNull();
    recent.remember('r1', stream('s1'), 0);
    recent.forget('r1');
    expect(recent.get('r1', 1)).toBeNull();
  });

  it('drops the entry remembered longest ago when full, keeping a refreshed one', () => {
    const recent = new RecentStreams(60_000, 2);
    recent.remember('r1', stream('s1'), 0);
    recent.remember('r2', stream('s2'), 0);
    recent.remember('r1', stream('s1b'), 1);
    recent.remember('r3', stream('s3'), 2);
    expect(recent.get('r2', 3)).toBeNull();
    expect(recent.get('r1', 3)).toEqual(stream('s1b'));
    expect(recent.get('r3', 3)).toEqual(stream('s3'));
  });
});
