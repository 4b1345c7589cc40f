import { ChildProcess } from 'node:child_process';
import { ServiceHarness } from './harness';
import { freePort } from './ports';
import { waitFor } from './wait';

export interface FleetMember {
  name: string;
  child: ChildProcess;
  baseUrl: string;
}

/**
 * Built service processes (`buildDist()` first) sharing one suite's database, queue prefix and
 * bucket, as replicas do in production. Their output is kept (the last lines) so a failed wait can
 * say what the processes were doing.
 */
export class Fleet {
  private readonly output: string[] = [];

  constructor(private readonly harness: ServiceHarness) {}

  /** Spawns one process and waits until it answers /health (workers serve it too). */
  async start(name: string, runMode: 'api' | 'worker', env: Record<string, string> = {}): Promise<FleetMember> {
    // PORT=0 (spawnService's default) is refused by the config check: each gets a real free port.
    const port = await freePort();
    const child = this.harness.spawnService({ RUN_MODE: runMode, PORT: String(port), ...env });
    const keep = (chunk: Buffer) => {
      this.output.push(`[${name}] ${chunk.toString()}`);
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const baseUrl = `http://127.0.0.1:${port}`;
    await this.explain(
      waitFor(async () => child.exitCode === null && (await fetch(`${baseUrl}/health`)).status === 200, `${name} to answer /health`, 60_000, 200),
    );
    return { name, child, baseUrl };
  }

  /** SIGKILL, as a crashed host or an OOM kill would: no shutdown hook runs. */
  async kill(member: FleetMember): Promise<void> {
    if (member.child.exitCode !== null || member.child.signalCode !== null) return;
    const exited = new Promise((resolve) => member.child.once('exit', resolve));
    member.child.kill('SIGKILL');
    await exited;
  }

  /** Rethrows a failure with the processes' recent output appended. */
  async explain<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.output.join('')}`);
    }
  }
}
