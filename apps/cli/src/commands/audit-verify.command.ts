import { AuditTrail } from '@lib/audit';
import { loadConfig } from '@lib/config';
import { CliCommand, parseFlags, say } from '../cli-command';
import { withCliContext } from '../cli-context';

export const auditVerifyCommand: CliCommand = {
  name: 'audit:verify',
  usage: 'audit:verify [--incremental]',
  summary: 're-computes the audit chain against its anchors (from genesis, or from the last anchor); prints {"ok","checked","firstBrokenId"[,"reason"]} and exits 1 when it is broken',
  async run(argv) {
    const { values } = parseFlags(argv, { incremental: { type: 'boolean', default: false } });
    const config = loadConfig(process.env);
    const check = await withCliContext(config, 'audit', (app) => app.get(AuditTrail).verify(values.incremental ? 'incremental' : 'full'));
    say(JSON.stringify({ ok: check.ok, checked: check.checked, firstBrokenId: check.firstBrokenId, ...(check.reason ? { reason: check.reason } : {}) }));
    return check.ok ? 0 : 1;
  },
};
