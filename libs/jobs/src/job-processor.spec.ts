import { indexProcessors, JobProcessor } from './job-processor';

const processor = (jobName: string) => ({ jobName, handle: async () => undefined }) as unknown as JobProcessor;

describe('indexProcessors', () => {
  it('indexes one processor per job', () => {
    expect(indexProcessors([processor('archive-artifact')], ['archive-artifact']).size).toBe(1);
  });
  it('fails start-up when a job has no processor', () => {
    expect(() => indexProcessors([], ['archive-artifact'])).toThrow('jobs without a processor: archive-artifact');
  });
  it('fails start-up when a job has two processors', () => {
    expect(() => indexProcessors([processor('archive-artifact'), processor('archive-artifact')], ['archive-artifact'])).toThrow('two processors');
  });
});
