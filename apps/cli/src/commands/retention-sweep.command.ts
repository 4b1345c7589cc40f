import { loadConfig } from '@lib/config';
import { RetentionSweeper, SweepResult } from '@lib/retention';
import { CliCommand, note, parseFlags, say, UsageError } from '../cli-command';
import { withCliContext } from '../cli-context';

/** How long a real sweep waits for one already running (a worker's scheduled sweep) to finish. */
const LOCK_WAIT_MS = 60_000;

export const retentionSweepCommand: CliCommand = {
  name: 'retention:sweep',
  usage: 'retention:sweep [--dry-run [--at ISO-TIME]]',
  summary: 'deletes what has expired now and prints it (<artifactId> <kind> <reason>); --dry-run deletes nothing and prints what would go (at that time)',
  async run(argv) {
    const { values } = parseFlags(argv, { 'dry-run': { type: 'boolean', default: false }, at: { type: 'string' } });
    const dryRun = values['dry-run'] === true;
    if (values.at !== undefined && !dryRun) throw new UsageError('--at needs --dry-run (a real sweep deletes only what has expired now)');
    let at: Date | undefined;
    if (values.at !== undefined) {
      at = new Date(values.at);
      if (!/^\d{4}-\d{2}-\d{2}/.test(values.at) || Number.isNaN(at.getTime())) throw new UsageError(`--at must be an ISO-8601 time, not "${values.at}"`);
    }
    const config = loadConfig(process.env);
    const result = await withCliContext(config, 'retention', async (app) => {
      const sweeper = app.get(RetentionSweeper);
      const deadline = Date.now() + LOCK_WAIT_MS;
      for (;;) {
        const swept: SweepResult = await sweeper.sweep({ at, dryRun, inline: true });
        if (swept.ran) return swept;
        if (Date.now() > deadline) throw new Error('another sweep has been running for a minute; try again later');
        note('another sweep is running; waiting for it to finish');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    });
    const listed = result.artifacts.filter((a) => a.outcome === (dryRun ? 'would_delete' : 'deleted'));
    for (const a of listed) say(`${a.id} ${a.kind} ${a.reason}`);
    for (const a of result.artifacts.filter((x) => x.outcome === 'failed')) note(`not deleted (will be retried): ${a.id} ${a.kind}: ${a.error}`);
    for (const a of result.artifacts.filter((x) => x.outcome === 'held' || x.outcome === 'not_due')) note(`kept: ${a.id} ${a.kind} (${a.outcome.replace('_', ' ')})`);
    note(
      dryRun
        ? `dry run at ${result.at}: ${listed.length} artifact(s) would be deleted`
        : `swept at ${result.at}: ${result.deleted} artifact(s) deleted, ${result.failed} failed`,
    );
    return result.failed > 0 ? 1 : 0;
  },
};
