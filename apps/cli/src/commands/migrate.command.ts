import { loadConfig } from '@lib/config';
import { migrate } from '@lib/database';
import { CliCommand, say } from '../cli-command';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'creates the database if needed and applies pending migrations (as DATABASE_MIGRATION_URL, else DATABASE_URL)',
  async run() {
    const config = loadConfig(process.env);
    const applied = await migrate(config.databaseMigrationUrl);
    say(applied.length === 0 ? 'migrations: up to date' : `migrations applied: ${applied.join(', ')}`);
    return 0;
  },
};
