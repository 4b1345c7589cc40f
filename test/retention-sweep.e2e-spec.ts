import { S3Client } from '@aws-sdk/client-s3';
import { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FixedClock } from '@lib/clock';
import { RetentionSweeper } from '@lib/retention';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { DAY_MS, deliverRecording, registerSession, seedExpiredArtifacts } from './support/builders';
import { BUCKET, countDeletions, objectExists, s3Of } from './support/bucket';
import { buildDist, runCli } from './support/cli';
import { ServiceHarness } from './support/harness';
import { freePort } from './support/ports';
import { artifactsOf } from './support/rows';
import { QueueProbe } from './support/queues';
import { waitFor } from './support/wait';

/**
 * POLICIES §2: deletion is automatic, on schedule and provable. The sweep finds what expired,
 * the one deletion path removes the objects, confirms they are gone, and only then marks the
 * artifact deleted with its reason, policy version and the hash of its audit entry.
 */

const MEDIA_KINDS = ['audio', 'participant_audio', 'video'];

describe('the retention sweep', () => {
  let host: FakeZoomHost;
  let media: SampleMedia;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'retention-sweep-'));
    host = new FakeZoomHost();
    await host.start();
    media = await generateSampleMedia(path.join(workDir, 'media'), { seconds: 2 });
    buildDist();
  });

  afterAll(async () => {
    await host?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  describe('in one service', () => {
    const clock = new FixedClock(new Date());
    let harness: ServiceHarness;
    let s3: S3Client;

    beforeAll(async () => {
      harness = await ServiceHarness.start({
        clock,
        env: {
          ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','),
          RETENTION_SWEEP_INTERVAL_MS: '3600000',
          RETENTION_DELETE_BACKOFF_BASE_MS: '100',
        },
      });
      s3 = s3Of(harness);
    });

    afterAll(async () => {
      s3?.destroy();
      await harness?.stop();
    });

    /** A tutoring session that started ten minutes ago, and its recording (8 files). */
    async function sessionWithRecording(id: string) {
      clock.set(new Date());
      const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000);
      const meetingId = randomMeetingId();
      await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: startsAt.toISOString() });
      const { id: recordingId } = await deliverRecording(harness, host, media, { meetingId, startTime: zoomTime(startsAt.getTime() + 60_000) });
      return { startsAt, recordingId };
    }

    const sweeper = () => harness.app!.get(RetentionSweeper);

    it('deletes expired objects and keeps the rest, with a receipt that matches the audit trail', async () => {
      const { startsAt, recordingId } = await sessionWithRecording('sweep-receipt');
      const before = await artifactsOf(harness, recordingId);
      const expiring = before.filter((a) => MEDIA_KINDS.includes(a.kind));
      expect(expiring).toHaveLength(5);

      // 32 days on, video and audio are more than a day overdue: a metric and the status page say so, readiness does not.
      clock.set(new Date(startsAt.getTime() + 32 * DAY_MS));
      const metrics = await call(harness, 'GET', '/metrics', { token: null });
      expect(metrics.body).toMatch(/^retention_overdue_artifacts 5$/m);
      const status = await call(harness, 'GET', '/v1/retention/status');
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ overdue: 5, held: 0, byClass: { media: { stored: 5, due: 5 }, text: { stored: 3, due: 0 } } });
      expect((await call(harness, 'GET', '/health/ready', { token: null })).status).toBe(200);

      const result = await sweeper().sweep();
      expect(result.ran).toBe(true);
      expect(result.artifacts.map((a) => a.id).sort()).toEqual(expiring.map((a) => a.id).sort());
      expect(result.artifacts.every((a) => a.outcome === 'queued' && a.reason === 'expired under the tutoring policy, version 1')).toBe(true);

      const after = await waitFor(async () => {
        const rows = await artifactsOf(harness, recordingId);
        return rows.filter((a) => a.status === 'deleted').length === 5 ? rows : null;
      }, 'the five media artifacts to be deleted');
      for (const a of after) {
        const expired = MEDIA_KINDS.includes(a.kind);
        expect({ kind: a.kind, status: a.status, inBucket: await objectExists(s3, a.storage_key) }).toEqual({
          kind: a.kind,
          status: expired ? 'deleted' : 'stored',
          inBucket: !expired,
        });
      }

      const view = await call(harness, 'GET', `/v1/recordings/${recordingId}`);
      for (const a of view.body.artifacts.filter((x: { status: string }) => x.status === 'deleted')) {
        expect(a).toMatchObject({ policyProfile: 'tutoring', policyVersion: 1, reason: 'expired under the tutoring policy, version 1', deletedAt: clock.now().toISOString() });
        const [entry] = await harness.query<{ hash: string; action: string; subject_id: string; details: Record<string, unknown> }>(
          'SELECT hash, action, subject_id, details FROM audit_log WHERE id = $1',
          [a.auditEntryId],
        );
        expect(entry).toMatchObject({ hash: a.auditHash, action: 'artifact.deleted', subject_id: a.id });
        expect(entry.details).toMatchObject({ kind: a.kind, cause: 'expired', recordingId, policyProfile: 'tutoring', policyVersion: 1, objects: 1 });
      }
      expect((await call(harness, 'GET', '/v1/audit/verify')).body).toMatchObject({ ok: true, firstBrokenId: null });

      const done = await call(harness, 'GET', '/v1/retention/status');
      expect(done.body).toMatchObject({
        overdue: 0,
        lastSweep: { at: clock.now().toISOString(), found: 5, queued: 5 },
        byClass: { media: { stored: 0, due: 0 }, text: { stored: 3, due: 0 } },
      });
      expect(Date.parse(done.body.nextSweepAt)).toBe(clock.now().getTime() + 3_600_000);
      expect((await call(harness, 'GET', '/metrics', { token: null })).body).toMatch(/^retention_overdue_artifacts 0$/m);
      expect((await call(harness, 'GET', '/v1/retention/status', { roles: ['reviewer'] })).status).toBe(403);
    });

    it('lists with --dry-run --at what would go at that time, and deletes nothing', async () => {
      const { startsAt, recordingId } = await sessionWithRecording('sweep-dry-run');
      const expiring = (await artifactsOf(harness, recordingId)).filter((a) => MEDIA_KINDS.includes(a.kind));
      const at = new Date(startsAt.getTime() + 31 * DAY_MS).toISOString();

      const cli = await runCli(harness, ['retention:sweep', '--dry-run', '--at', at]);
      expect(cli.status).toBe(0);
      const lines = cli.stdout.trim().split('\n');
      expect(lines.sort()).toEqual(expiring.map((a) => `${a.id} ${a.kind} expired under the tutoring policy, version 1`).sort());
      expect(cli.stderr).toContain(`dry run at ${at}: 5 artifact(s) would be deleted`);

      const earlier = await runCli(harness, ['retention:sweep', '--dry-run', '--at', new Date(startsAt.getTime() + 29 * DAY_MS).toISOString()]);
      expect(earlier.stdout).toBe('');
      expect((await artifactsOf(harness, recordingId)).every((a) => a.status === 'stored')).toBe(true);
      for (const a of expiring) expect(await objectExists(s3, a.storage_key)).toBe(true);

      const refused = await runCli(harness, ['retention:sweep', '--at', at]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('--at needs --dry-run');
    });

    it('deletes inline from the CLI what has expired now, and prints it', async () => {
      // Zoom delivers, today, the recording of a session that started 40 days ago: expired on arrival.
      clock.set(new Date());
      const start = Date.now() - 40 * DAY_MS;
      const { id: recordingId } = await deliverRecording(harness, host, media, { meetingId: randomMeetingId(), startTime: zoomTime(start) });
      const expiring = (await artifactsOf(harness, recordingId)).filter((a) => MEDIA_KINDS.includes(a.kind));

      const cli = await runCli(harness, ['retention:sweep']);
      expect(cli.status).toBe(0);
      const printed = cli.stdout.trim().split('\n').filter((l) => expiring.some((a) => l.startsWith(a.id)));
      expect(printed.sort()).toEqual(expiring.map((a) => `${a.id} ${a.kind} expired under the tutoring policy, version 1`).sort());
      const after = await artifactsOf(harness, recordingId);
      for (const a of after) expect([a.kind, a.status]).toEqual([a.kind, MEDIA_KINDS.includes(a.kind) ? 'deleted' : 'stored']);
      for (const a of expiring) expect(await objectExists(s3, a.storage_key)).toBe(false);
      const audit = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'artifact.deleted' AND subject_id = ANY($1)`, [
        expiring.map((a) => a.id),
      ]);
      expect(audit).toEqual([{ n: 5 }]);
    });

    it('keeps an artifact stored while storage cannot delete its object, and deletes it once storage is back', async () => {
      const { startsAt, recordingId } = await sessionWithRecording('sweep-storage-down');
      const expiring = (await artifactsOf(harness, recordingId)).filter((a) => MEDIA_KINDS.includes(a.kind));
      const onDisk = (key: string) => existsSync(path.join(harness.s3.dataDir, BUCKET, `${key}._S3rver_object`));
      expect(expiring.every((a) => onDisk(a.storage_key))).toBe(true);

      clock.set(new Date(startsAt.getTime() + 31 * DAY_MS));
      await harness.s3.stop();
      let restarted = false;
      try {
        const result = await sweeper().sweep();
        expect(result.artifacts.filter((a) => expiring.some((e) => e.id === a.id) && a.outcome === 'queued')).toHaveLength(5);
        // Let the delete jobs fail a few times against the stopped server (100 ms backoff, doubling).
        const retention = QueueProbe.open(harness, ['retention']);
        try {
          await waitFor(async () => {
            const retrying = await retention.attemptsMade(['delayed']);
            return retrying.length > 0 && retrying.every((n) => n >= 3);
          }, 'the delete jobs to fail three times', 20_000);
        } finally {
          await retention.close();
        }
        const meanwhile = await artifactsOf(harness, recordingId);
        expect(meanwhile.filter((a) => MEDIA_KINDS.includes(a.kind)).map((a) => a.status)).toEqual(['stored', 'stored', 'stored', 'stored', 'stored']);
        expect(expiring.every((a) => onDisk(a.storage_key))).toBe(true);
        await harness.s3.start();
        restarted = true;
      } finally {
        if (!restarted) await harness.s3.start();
      }
      const after = await waitFor(async () => {
        const rows = await artifactsOf(harness, recordingId);
        return rows.filter((a) => a.status === 'deleted').length === 5 ? rows : null;
      }, 'the delete jobs to succeed once storage is back', 30_000);
      for (const a of after.filter((x) => MEDIA_KINDS.includes(x.kind))) expect(onDisk(a.storage_key)).toBe(false);
      for (const a of after.filter((x) => !MEDIA_KINDS.includes(x.kind))) expect(await objectExists(s3, a.storage_key)).toBe(true);
    });
  });

  describe('two worker processes sweeping at once', () => {
    let harness: ServiceHarness;
    let s3: S3Client;
    const output: string[] = [];

    beforeAll(async () => {
      harness = await ServiceHarness.start({ runMode: 'api' });
      s3 = s3Of(harness);
    });

    afterAll(async () => {
      s3?.destroy();
      await harness?.stop();
    });

    async function spawnWorker(name: string): Promise<ChildProcess> {
      const child = harness.spawnService({ RUN_MODE: 'worker', PORT: String(await freePort()), RETENTION_SWEEP_INTERVAL_MS: '500' });
      const keep = (chunk: Buffer) => {
        output.push(`[${name}] ${chunk.toString()}`);
        if (output.length > 200) output.shift();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      return child;
    }

    it('deletes each object once and writes exactly one audit entry per artifact', async () => {
      const seeded = await seedExpiredArtifacts(harness, s3, { recordings: 20, perRecording: 15 });
      const deletions = countDeletions(harness);
      await Promise.all([spawnWorker('worker-1'), spawnWorker('worker-2')]);

      try {
        await waitFor(
          async () => {
            const [row] = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM artifacts WHERE status = 'deleted'`);
            return row.n === seeded.length;
          },
          `all ${seeded.length} artifacts deleted`,
          60_000,
          250,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${output.join('')}`);
      }

      const audit = await harness.query<{ subject_id: string; n: number }>(
        `SELECT subject_id, count(*)::int AS n FROM audit_log WHERE action = 'artifact.deleted' GROUP BY subject_id`,
      );
      expect(audit).toHaveLength(seeded.length);
      expect(audit.every((row) => row.n === 1)).toBe(true);
      expect(new Set(audit.map((row) => row.subject_id))).toEqual(new Set(seeded.map((a) => a.id)));
      for (const { key } of seeded) expect([key, deletions.get(key)]).toEqual([key, 1]);
      for (const { key } of seeded.slice(0, 20)) expect(await objectExists(s3, key)).toBe(false);

      // The sweeps themselves never overlapped: one at a time across both workers.
      // Both workers keep sweeping every 500 ms: wait for a second finished sweep rather than assume
      // the deletions outlasted the first (on a fast run one sweep can queue and finish them all).
      const sweeps = await waitFor(
        async () => {
          const rows = await harness.query<{ started_at: Date; finished_at: Date }>(
            'SELECT started_at, finished_at FROM retention_sweeps ORDER BY started_at, id',
          );
          return rows.length > 1 ? rows : null;
        },
        'a second finished sweep',
        20_000,
      );
      for (let i = 1; i < sweeps.length; i += 1) expect(sweeps[i].started_at.getTime()).toBeGreaterThanOrEqual(sweeps[i - 1].finished_at.getTime());
      expect((await call(harness, 'GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
    }, 90_000);
  });
});
