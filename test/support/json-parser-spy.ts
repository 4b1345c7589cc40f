/** The module object the webhook's body parser calls through: spying on it shows whether JSON was parsed. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const secureJson = require('secure-json-parse') as { parse: (...args: unknown[]) => unknown };
