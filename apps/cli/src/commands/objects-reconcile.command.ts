import { loadConfig } from '@lib/config';
import { ObjectReconciler } from '@lib/retention';
import { CliCommand, note, parseFlags, say } from '../cli-command';
import { withCliContext } from '../cli-context';

export const objectsReconcileCommand: CliCommand = {
  name: 'objects:reconcile',
  usage: 'objects:reconcile [--dry-run]',
  summary: 'deletes objects no live row references, older than OBJECT_RECONCILE_GRACE_HOURS, and prints them (<key> <cause>); --dry-run deletes nothing',
  async run(argv) {
    const { values } = parseFlags(argv, { 'dry-run': { type: 'boolean', default: false } });
    const dryRun = values['dry-run'] === true;
    const result = await withCliContext(loadConfig(process.env), 'retention', (app) => app.get(ObjectReconciler).reconcile({ dryRun }));
    if (!result.ran) {
      note('another reconciliation is running (a worker); try again later');
      return 1;
    }
    for (const o of result.orphans) say(`${o.key} ${o.cause}`);
    note(
      dryRun
        ? `dry run at ${result.at}: ${result.orphans.length} of ${result.listed} object(s) would be deleted (${result.young} orphan(s) still within the grace period)`
        : `reconciled at ${result.at}: ${result.deleted} of ${result.listed} object(s) deleted, ${result.failed} failed (${result.young} orphan(s) still within the grace period)`,
    );
    return result.failed > 0 ? 1 : 0;
  },
};
