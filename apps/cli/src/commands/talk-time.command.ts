import { dirname, resolve } from 'node:path';
import { detectSpeechInFile } from '@lib/media';
import { computeTalkTime, parseWebVtt, TalkRosterPerson, TalkTimeReport, talkTimeFromTranscript, Utterance } from '@lib/text';
import { CliCommand, parseFlags, say, UsageError } from '../cli-command';
import { readJsonFile, readRosterFile, readTextFile, rosterEntries } from '../roster-file';

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
    const roster: TalkRosterPerson[] = (await readRosterFile(values.roster)).map(({ personId, displayName, role }) => ({ personId, displayName, role }));
    const cues = parseWebVtt(await readTextFile(positionals[0]));
    say(JSON.stringify(talkTimeFromTranscript(cues, roster), null, 2));
    return 0;
  },
};

async function fromManifest(path: string): Promise<TalkTimeReport> {
  const people = rosterEntries(await readJsonFile(path), path, true);
  const utterances: Utterance[] = [];
  let duration = 0;
  for (const person of people) {
    const file = resolve(dirname(path), person.file as string);
    const speech = await detectSpeechInFile(file).catch((error: Error) => {
      throw new Error(`${person.file}: ${error.message}`);
    });
    duration = Math.max(duration, speech.durationSeconds);
    for (const i of speech.intervals) utterances.push({ startSeconds: i.startSeconds, endSeconds: i.endSeconds, personId: person.personId });
  }
  const roster = people.map(({ personId, displayName, role }) => ({ personId, displayName, role }));
  return computeTalkTime({ source: 'participant_audio', roster, utterances, sessionStartSeconds: 0, sessionEndSeconds: duration });
}
