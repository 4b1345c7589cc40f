import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

/** Fails the run at once, with the fix, when a real component the suites need is missing. */
export default async function globalSetup(): Promise<void> {
  try {
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error('ffprobe is missing: run `bash scripts/ensure-services.sh` (or apt-get install -y ffmpeg)');
  }
  const client = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
  } catch {
    throw new Error('PostgreSQL does not answer on 127.0.0.1:5432: run `bash scripts/ensure-services.sh`');
  } finally {
    await client.end().catch(() => undefined);
  }
}
