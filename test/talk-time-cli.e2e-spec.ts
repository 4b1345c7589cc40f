import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildDist } from './support/cli';

const run = promisify(execFile);
const FIXTURES = join(__dirname, 'fixtures', 'analysis');
const CLI = resolve(__dirname, '../dist/apps/cli/src/main.js');

/**
 * CONTRACT "Standalone CLI analysis": `talk-time` reads only its files and flags — run here with no
 * environment but PATH (no DATABASE_URL, REDIS_URL, S3 …: nothing to connect to) — and prints the
 * talk-time JSON alone on stdout. Truth for the transcript: test/fixtures/analysis/README.md.
 */
describe('the talk-time command', () => {
  let dir: string;
  const talkTime = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'talk-time', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    buildDist();
    dir = await mkdtemp(join(tmpdir(), 'rec-talk-time-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the talk-time JSON of a transcript against a roster, and nothing else on stdout', () => {
    const out = talkTime(join(FIXTURES, 'session.vtt'), '--roster', join(FIXTURES, 'roster.json'));
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({ source: 'transcript', sessionSeconds: 40, tutorSeconds: 29, learnerSeconds: 6, parentSeconds: 0, unattributedSeconds: 0 });
    expect(report.tutorShare).toBeCloseTo(29 / 35, 3);
    expect(report.speakers.map((s: { personId: string; seconds: number; turns: number }) => [s.personId, s.seconds])).toEqual(
      expect.arrayContaining([['tutor-1', 29], ['elisa-1', 4], ['tom-1', 2], ['parent-1', 0]]),
    );
  });

  it('leaves every cue unattributed without a roster (nobody is guessed)', () => {
    const report = JSON.parse(talkTime(join(FIXTURES, 'session.vtt')).stdout);
    expect(report).toMatchObject({ tutorSeconds: 0, learnerSeconds: 0, unattributedSeconds: 35, tutorShare: null, speakers: [] });
  });

  it('names the line of a malformed transcript, exits 1 and prints nothing on stdout', () => {
    const out = talkTime(join(FIXTURES, 'broken.vtt'));
    expect(out.status).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('transcript line 12');
  });

  it('refuses a roster entry without a role, naming it (exit 2)', async () => {
    const roster = join(dir, 'bad-roster.json');
    await writeFile(roster, JSON.stringify({ participants: [{ personId: 'p1', displayName: 'Ms Rivera' }] }));
    const out = talkTime(join(FIXTURES, 'session.vtt'), '--roster', roster);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('participants[0]: role must be one of tutor, learner, parent');
    expect(out.stdout).toBe('');
  });

  it('measures each participant’s own track from a manifest, files relative to it', async () => {
    // Known speech: the tutor 1–9 s and 14–18 s (12 s), the learner 9.5–13 s (3.5 s), a silent parent.
    const tone = (hz: number, gates: string) => `0.3*sin(2*PI*${hz}*t)*(0.7+0.3*sin(2*PI*4*t))*(${gates})`;
    const track = async (name: string, expr: string) =>
      run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc=${expr}:s=16000:d=20`, '-c:a', 'aac', '-b:a', '32k', join(dir, name)]);
    await track('tutor.m4a', tone(220, 'between(t\\,1\\,9)+between(t\\,14\\,18)'));
    await track('learner.m4a', tone(330, 'between(t\\,9.5\\,13)'));
    await track('parent.m4a', '0');
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        participants: [
          { personId: 't', displayName: 'Ms Rivera', role: 'tutor', file: 'tutor.m4a' },
          { personId: 'l', displayName: 'Elisa L', role: 'learner', file: 'learner.m4a' },
          { personId: 'p', displayName: 'Ana Lopez', role: 'parent', file: 'parent.m4a' },
        ],
      }),
    );
    const out = talkTime('--manifest', join(dir, 'manifest.json'));
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.source).toBe('participant_audio');
    expect(Math.abs(report.tutorSeconds - 12)).toBeLessThanOrEqual(2);
    expect(Math.abs(report.learnerSeconds - 3.5)).toBeLessThanOrEqual(2);
    expect(report.parentSeconds).toBeLessThanOrEqual(0.5);
    expect(Math.abs(report.sessionSeconds - 20)).toBeLessThanOrEqual(1);
  });

  it('names a participant file that is missing (exit 1)', async () => {
    await writeFile(join(dir, 'missing.json'), JSON.stringify({ participants: [{ personId: 't', displayName: 'T', role: 'tutor', file: 'nope.m4a' }] }));
    const out = talkTime('--manifest', join(dir, 'missing.json'));
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('nope.m4a');
    expect(out.stdout).toBe('');
  });
});
