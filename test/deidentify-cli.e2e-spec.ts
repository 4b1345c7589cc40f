import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseGoldMarkup, parseWebVtt, parseChatLog } from '@lib/text';
import { buildDist } from './support/cli';

const CORPUS = join(__dirname, 'fixtures', 'deid');
const CLI = resolve(__dirname, '../dist/apps/cli/src/main.js');

/**
 * CONTRACT "Standalone CLI analysis": `deidentify` reads only its files and flags — run here with no
 * environment but PATH (nothing to connect to) — and prints the de-identified file alone on stdout,
 * line for line. Files come from the labelled corpus (test/fixtures/deid/README.md), marks stripped.
 */
describe('the deidentify command', () => {
  let dir: string;
  const deidentify = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'deidentify', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, encoding: 'utf8', timeout: 60_000 });
  /** A corpus file written out without its marks; returns its path, the text and the gold spans. */
  const corpusFile = async (name: string) => {
    const { text, gold } = parseGoldMarkup(await readFile(join(CORPUS, name), 'utf8'));
    const path = join(dir, name);
    await writeFile(path, text);
    return { path, text, gold, roster: join(CORPUS, name.replace(/\.(vtt|txt)$/, '.roster.json')) };
  };

  beforeAll(async () => {
    buildDist();
    dir = await mkdtemp(join(tmpdir(), 'rec-deidentify-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints a transcript line for line with role labels and placeholders, and nothing else', async () => {
    const file = await corpusFile('maths-fractions.vtt');
    const out = deidentify(file.path, '--roster', file.roster);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout.split('\n')).toHaveLength(file.text.split('\n').length);
    const cues = parseWebVtt(out.stdout);
    expect(new Set(cues.map((c) => c.speakerLabel))).toEqual(new Set(['[TUTOR]', '[LEARNER 1]', '[LEARNER 2]', '[PARENT 1]']));
    expect(out.stdout).toContain('[PHONE]');
    expect(out.stdout).toContain('[SCHOOL]');
    for (const name of ['Rivera', 'Elisa', 'Lizzy', 'Kowalski', 'Mateo', 'Jayden', '07700', 'Maple Avenue']) expect(out.stdout).not.toContain(name);
    expect(out.stdout).toContain('I will share my screen');
    expect(out.stdout).toContain('Mark the answer');
  });

  it('prints a chat log with senders and direct-message recipients as labels', async () => {
    const file = await corpusFile('chat-kids-friday.txt');
    const out = deidentify(file.path, '--roster', file.roster);
    expect(out.status).toBe(0);
    const messages = parseChatLog(out.stdout);
    expect(new Set(messages.flatMap((m) => [m.sender, m.recipient ?? 'Everyone']))).toEqual(new Set(['[TUTOR]', '[LEARNER 1]', '[LEARNER 2]', 'Everyone']));
    for (const g of file.gold) expect(out.stdout).not.toContain(file.text.slice(g.start, g.end).length > 3 ? file.text.slice(g.start, g.end) : '\u0000');
  });

  it('turns every speaker into [PERSON] without a roster (no name is guessed or kept)', async () => {
    const file = await corpusFile('sat-reading-evidence.vtt');
    const out = deidentify(file.path);
    expect(out.status).toBe(0);
    expect(new Set(parseWebVtt(out.stdout).map((c) => c.speakerLabel))).toEqual(new Set(['[PERSON]']));
    expect(out.stdout).not.toMatch(/Okafor|Summer Jenkins|Marcus Bell/);
  });

  it('moves times to the session start with --offset', async () => {
    const file = await corpusFile('chat-geometry-dm.txt');
    const first = parseChatLog(file.text)[0].offsetSeconds;
    const out = deidentify(file.path, '--roster', file.roster, '--offset', String(first));
    expect(out.status).toBe(0);
    expect(out.stdout.slice(0, 8)).toBe('00:00:00');
  });

  it('names the line of a malformed transcript, exits 1 and prints nothing on stdout', async () => {
    const path = join(dir, 'broken.vtt');
    await writeFile(path, 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nJane Doe: my number is 07700 900123\n\n2\n00:00:03.000 -> 00:00:04.000\nJane Doe: bye\n');
    const out = deidentify(path);
    expect(out.status).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('transcript line 8');
    expect(out.stderr).not.toMatch(/Jane|07700/);
  });

  it('names the line of a malformed chat log (exit 1)', async () => {
    const path = join(dir, 'broken.txt');
    await writeFile(path, 'hello before any message\n00:00:05 From Jane Doe to Everyone: hi\n');
    const out = deidentify(path);
    expect(out.status).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('chat log line 1');
  });

  it('refuses a roster entry without a role, naming it (exit 2)', async () => {
    const file = await corpusFile('chat-cloud-reading.txt');
    const roster = join(dir, 'bad-roster.json');
    await writeFile(roster, JSON.stringify({ participants: [{ personId: 'p1', displayName: 'Priya Raman' }] }));
    const out = deidentify(file.path, '--roster', roster);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('participants[0]: role must be one of tutor, learner, parent');
    expect(out.stdout).toBe('');
  });

  it('says which file it cannot read (exit 2)', () => {
    const out = deidentify(join(dir, 'missing.vtt'));
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('cannot read');
    expect(out.stdout).toBe('');
  });
});
