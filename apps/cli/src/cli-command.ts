import { parseArgs, ParseArgsConfig } from 'node:util';

/** Thrown for wrong usage: printed as one line, exit code 2. */
export class UsageError extends Error {}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Writes its result to stdout; logs and progress go to stderr. Returns the exit code. */
  run(argv: string[]): Promise<number>;
}

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export const say = (line: string) => process.stdout.write(`${line}\n`);
export const note = (line: string) => process.stderr.write(`${line}\n`);
