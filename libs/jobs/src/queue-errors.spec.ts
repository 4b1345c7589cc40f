import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { watchQueueErrors } from './queue-errors';

function setUp() {
  const emitter = new EventEmitter();
  const counted: Array<{ queue: string; source: string }> = [];
  const logged: string[] = [];
  const logger = { warn: (m: string) => logged.push(m) } as unknown as Logger;
  let now = 0;
  watchQueueErrors(emitter, 'ingest', 'queue', (l) => counted.push(l), logger, () => now);
  const fail = (at: number) => {
    now = at;
    emitter.emit('error', Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:6379'), { code: 'ECONNREFUSED' }));
  };
  return { counted, logged, fail };
}

describe('watchQueueErrors', () => {
  it('counts every error event of a queue', () => {
    const { counted, fail } = setUp();
    fail(0);
    fail(10);
    expect(counted).toEqual([{ queue: 'ingest', source: 'queue' }, { queue: 'ingest', source: 'queue' }]);
  });
  it('logs at most once a minute, saying how many it did not log', () => {
    const { logged, fail } = setUp();
    fail(0);
    fail(1000);
    fail(2000);
    fail(61_000);
    expect(logged).toEqual(['queue of queue ingest: Error ECONNREFUSED', 'queue of queue ingest: Error ECONNREFUSED (2 more since the last report)']);
  });
  it('logs the error class and code, never the message (it names addresses)', () => {
    const { logged, fail } = setUp();
    fail(0);
    expect(logged.join()).not.toContain('10.0.0.7');
  });
});
