import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ServiceHarness } from './harness';

/** Builds dist/ (skipped when nothing changed) for suites that run the built CLI or service. */
export function buildDist(): void {
  const out = spawnSync(process.execPath, [path.resolve(__dirname, '../../scripts/build.js'), '--quiet'], { stdio: 'inherit', timeout: 180_000 });
  if (out.status !== 0) throw new Error('build failed');
}

/**
 * The built CLI as a child process with the suite's environment (`buildDist()` first).
 * Asynchronous: the suite's own process serves the embedded S3 the CLI talks to.
 */
export function runCli(harness: ServiceHarness, args: string[], timeoutMs = 60_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/apps/cli/src/main.js'), ...args], {
      env: { ...process.env, ...harness.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A safety net, not a wait: a CLI that hangs is killed so the suite fails instead of stalling.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
