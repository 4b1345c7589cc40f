import { parseTtl, ROLES, signDevToken } from '@lib/auth';
import { loadConfig } from '@lib/config';
import { CliCommand, parseFlags, say, UsageError } from '../cli-command';

export const tokenCommand: CliCommand = {
  name: 'token',
  usage: 'token --sub ID --roles a,b [--ttl 1h]',
  summary: 'prints a dev bearer token (dev secret only; refused outside dev)',
  async run(argv) {
    const { values } = parseFlags(argv, { sub: { type: 'string' }, roles: { type: 'string' }, ttl: { type: 'string', default: '1h' } });
    if (!values.sub || !values.roles) throw new UsageError('token needs --sub and --roles');
    const roles = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) throw new UsageError(`unknown role(s): ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
    const config = loadConfig(process.env);
    if (!config.isDev || !config.auth.jwtSecret) {
      throw new UsageError('token only signs dev tokens: it needs NODE_ENV unset, development or test, and an HS256 secret');
    }
    const ttlSeconds = parseTtl(values.ttl!);
    // The service refuses longer-lived tokens: better to say so here than to print one that fails.
    if (ttlSeconds > config.auth.maxTokenAgeSeconds) {
      throw new UsageError(`--ttl may not exceed AUTH_MAX_TOKEN_AGE_SECONDS (${config.auth.maxTokenAgeSeconds} s)`);
    }
    say(await signDevToken(config.auth.jwtSecret, { sub: values.sub, roles, ttlSeconds }));
    return 0;
  },
};
