import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface ProbeOutcome {
  /** ffprobe's JSON, or null when it failed, was killed or printed too much. */
  readonly json: unknown;
  readonly stderr: string;
  /** Why there is no JSON, in words safe to log (no paths, no metadata). */
  readonly failure: string | null;
}

/** A probe's JSON of streams and format is a few kB; anything near this is not a file we accept. */
const MAX_STDOUT_BYTES = 4 * 1024 * 1024;
const MAX_STDERR_BYTES = 16 * 1024;

/**
 * One ffprobe process whose life we own: it is killed (SIGKILL) when its deadline passes or its
 * caller gives up, so a probe never outlives the wait for it. The deadline is armed by the caller:
 * at spawn for a file, when the input ends for a pipe (a multi-GB stream may take hours to pass).
 */
export class ProbeProcess {
  readonly outcome: Promise<ProbeOutcome>;
  private readonly child: ChildProcessWithoutNullStreams;
  private deadline: NodeJS.Timeout | null = null;
  private killedWhy: string | null = null;
  private exited = false;

  constructor(args: string[], private readonly timeoutMs: number, binary = 'ffprobe') {
    this.child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    // ffprobe may stop reading once it knows enough: writes after that fail with EPIPE, harmlessly.
    this.child.stdin.on('error', () => undefined);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_STDOUT_BYTES) return this.kill('ffprobe printed more than expected');
      out.push(chunk);
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < MAX_STDERR_BYTES) err += chunk.toString('utf8');
    });
    this.outcome = new Promise<ProbeOutcome>((resolve) => {
      this.child.once('error', (error) => {
        this.exited = true;
        this.disarm();
        resolve({ json: null, stderr: err, failure: `ffprobe could not start (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      });
      this.child.once('close', (code, signal) => {
        this.exited = true;
        this.disarm();
        if (this.killedWhy) return resolve({ json: null, stderr: err, failure: this.killedWhy });
        if (code !== 0) return resolve({ json: null, stderr: err, failure: `ffprobe exited with ${code ?? signal}` });
        try {
          resolve({ json: JSON.parse(Buffer.concat(out).toString('utf8')), stderr: err, failure: null });
        } catch {
          resolve({ json: null, stderr: err, failure: 'ffprobe printed no JSON' });
        }
      });
    });
  }

  /** The process's standard input (the bytes of a piped probe). */
  get stdin(): Writable {
    return this.child.stdin;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts the clock (once): past it, the process is killed and the probe has no result. */
  armDeadline(): void {
    if (this.deadline || this.exited) return;
    this.deadline = setTimeout(() => this.kill(`ffprobe did not finish within ${this.timeoutMs} ms`), this.timeoutMs);
    this.deadline.unref();
  }

  /** Ends it now: the caller no longer waits (a failed transfer) or it broke a limit. */
  kill(why: string): void {
    if (this.exited) return;
    this.killedWhy ??= why;
    this.child.stdin.destroy();
    this.child.kill('SIGKILL');
  }

  private disarm(): void {
    if (this.deadline) clearTimeout(this.deadline);
  }
}
