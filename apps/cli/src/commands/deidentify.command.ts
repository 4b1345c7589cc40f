import { deidentifyFile } from '@lib/text';
import { CliCommand, parseFlags, UsageError } from '../cli-command';
import { readRosterFile, readTextFile } from '../roster-file';

/**
 * CONTRACT "Standalone CLI analysis": reads only its files and flags — no database, Redis, S3 or
 * environment — and prints the de-identified transcript or chat log on stdout, line for line, and
 * nothing else. A file it cannot read fails with the line named (exit 1), never half printed.
 */
export const deidentifyCommand: CliCommand = {
  name: 'deidentify',
  usage: 'deidentify FILE [--roster ROSTER.json] [--offset SECONDS]',
  summary: 'the de-identified transcript (WebVTT) or chat log, line for line (standalone: no service needed)',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { roster: { type: 'string' }, offset: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('give one transcript (WebVTT) or chat log file');
    const offsetSeconds = values.offset === undefined ? 0 : Number(values.offset);
    if (!Number.isFinite(offsetSeconds) || offsetSeconds < 0) throw new UsageError('--offset must be a number of seconds, 0 or more');
    const roster = await readRosterFile(values.roster);
    const text = await readTextFile(positionals[0]);
    process.stdout.write(deidentifyFile(text, roster, { offsetSeconds }));
    return 0;
  },
};
