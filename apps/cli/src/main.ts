import 'reflect-metadata';
import { ConfigError } from '@lib/config';
import { CliCommand, note, UsageError } from './cli-command';
import { auditVerifyCommand } from './commands/audit-verify.command';
import { deidentifyCommand } from './commands/deidentify.command';
import { migrateCommand } from './commands/migrate.command';
import { objectsReconcileCommand } from './commands/objects-reconcile.command';
import { retentionSweepCommand } from './commands/retention-sweep.command';
import { talkTimeCommand } from './commands/talk-time.command';
import { tokenCommand } from './commands/token.command';
import { zoomSimulateCommand } from './commands/zoom-simulate.command';

/** Operator commands (`npm run --silent cli -- <command>`): each a thin call into a lib. */
const COMMANDS: CliCommand[] = [migrateCommand, tokenCommand, zoomSimulateCommand, retentionSweepCommand, objectsReconcileCommand, auditVerifyCommand, talkTimeCommand, deidentifyCommand];

function help(): string {
  return ['usage: npm run --silent cli -- <command>', '', ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    note(`unknown command "${name}"\n${help()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      note(`${name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      for (const problem of error.problems) note(`configuration error: ${problem}`);
      return 1;
    }
    note(`${name} failed: ${(error as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
