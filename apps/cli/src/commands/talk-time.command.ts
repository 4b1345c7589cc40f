import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { detectSpeechInFile } from '@lib/media';
import { computeTalkTime, parseWebVtt, TalkRosterPerson, TalkTimeReport, talkTimeFromTranscript, Utterance } from '@lib/text';
import { CliCommand, parseFlags, say, UsageError } from '../cli-command';

const ROLES = ['tutor', 'learner', 'parent'] as const;

interface ManifestParticipant extends TalkRosterPerson {
  file: string;
}

/**
 * CONTRACT "Standalone CLI analysis": reads only its files and flags — no database, Redis, S3 or
 * environment, no start-up of the service — and prints the talk-time JSON alone on stdout.
 */
export const talkTimeCommand: CliCommand = {
  name: 'talk-time',
  usage: 'talk-time FILE.vtt [--roster ROSTER.json] | talk-time --manifest MANIFEST.json',
  summary: 'talk-time JSON for a transcript, or from per-participant audio files (standalone: no service needed)',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { roster: { type: 'string' }, manifest: { type: 'string' } }, true);
    if (values.manifest) {
      if (positionals.length > 0 || values.roster) throw new UsageError('--manifest takes no transcript and no --roster (the manifest is the roster)');
      say(JSON.stringify(await fromManifest(values.manifest), null, 2));
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('give one transcript file (WebVTT), or --manifest');
    const roster = values.roster ? participants(await readJson(values.roster), values.roster, false) : [];
    const cues = parseWebVtt(await readText(positionals[0]));
    say(JSON.stringify(talkTimeFromTranscript(cues, roster), null, 2));
    return 0;
  },
};

async function fromManifest(path: string): Promise<TalkTimeReport> {
  const people = participants(await readJson(path), path, true) as ManifestParticipant[];
  const utterances: Utterance[] = [];
  let duration = 0;
  for (const person of people) {
    const file = resolve(dirname(path), person.file);
    const speech = await detectSpeechInFile(file).catch((error: Error) => {
      throw new Error(`${person.file}: ${error.message}`);
    });
    duration = Math.max(duration, speech.durationSeconds);
    for (const i of speech.intervals) utterances.push({ startSeconds: i.startSeconds, endSeconds: i.endSeconds, personId: person.personId });
  }
  const roster = people.map(({ personId, displayName, role }) => ({ personId, displayName, role }));
  return computeTalkTime({ source: 'participant_audio', roster, utterances, sessionStartSeconds: 0, sessionEndSeconds: duration });
}

/** `{"participants":[{"personId","displayName","role"[,"file"]}]}`, each entry checked; the error names it. */
function participants(doc: unknown, path: string, withFiles: boolean): Array<TalkRosterPerson & { file?: string }> {
  const list = (doc as { participants?: unknown })?.participants;
  if (!Array.isArray(list)) throw new UsageError(`${path}: expected {"participants":[…]}`);
  const seen = new Set<string>();
  return list.map((p: Record<string, unknown>, i: number) => {
    const where = `${path}: participants[${i}]`;
    if (typeof p?.personId !== 'string' || p.personId === '') throw new UsageError(`${where}: personId must be a non-empty string`);
    if (typeof p.displayName !== 'string' || p.displayName.trim() === '') throw new UsageError(`${where}: displayName must be a non-empty string`);
    if (!ROLES.includes(p.role as (typeof ROLES)[number])) throw new UsageError(`${where}: role must be one of ${ROLES.join(', ')}`);
    if (withFiles && (typeof p.file !== 'string' || p.file === '')) throw new UsageError(`${where}: file must name the participant's audio file`);
    if (seen.has(p.personId)) throw new UsageError(`${where}: personId "${p.personId}" appears twice`);
    seen.add(p.personId);
    return { personId: p.personId, displayName: p.displayName, role: p.role as TalkRosterPerson['role'], ...(withFiles ? { file: p.file as string } : {}) };
  });
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`${path}: not JSON`);
  }
}
