import { AuditTrail } from '@lib/audit';
import { loadConfig } from '@lib/config';
import { CliCommand, say } from '../cli-command';
import { withCliContext } from '../cli-context';

export const auditVerifyCommand: CliCommand = {
  name: 'audit:verify',
  usage: 'audit:verify',
  summary: 're-computes the audit hash chain; prints {"ok","checked","firstBrokenId"} and exits 1 when it is broken',
  async run() {
    const config = loadConfig(process.env);
    const check = await withCliContext(config, 'audit', (app) => app.get(AuditTrail).verify());
    say(JSON.stringify({ ok: check.ok, checked: check.checked, firstBrokenId: check.firstBrokenId }));
    return check.ok ? 0 : 1;
  },
};
