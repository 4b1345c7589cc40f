/**
 * Waiting in tests: poll an observable condition until it holds. There is deliberately no `sleep`
 * here; a suite that must show something did NOT happen waits for a positive signal that it would
 * have happened by now (a later job finished, a metric advanced) and says so in a comment.
 */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Counts the finished calls of one method of a live service object (the in-process service's
 * periodic checks): "it has run twice more since" is the positive signal a negative check waits on.
 */
export class RunCounter {
  finished = 0;
  private readonly original: (...args: unknown[]) => Promise<unknown>;

  constructor(
    private readonly instance: Record<string, unknown>,
    private readonly method: string,
  ) {
    this.original = instance[method] as (...args: unknown[]) => Promise<unknown>;
    instance[method] = async (...args: unknown[]) => {
      try {
        return await this.original.apply(instance, args);
      } finally {
        this.finished += 1;
      }
    };
  }

  /** Waits for `runs` more finished calls; with runs ≥ 2 at least one whole run started after this call. */
  more(runs: number, what: string, timeoutMs = 30_000): Promise<boolean> {
    const target = this.finished + runs;
    return waitFor(async () => this.finished >= target, what, timeoutMs, 20);
  }

  restore(): void {
    this.instance[this.method] = this.original;
  }
}
