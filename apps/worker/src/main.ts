// The worker entry point: the same service with RUN_MODE=worker unless told otherwise.
process.env.RUN_MODE ??= 'worker';
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../api/src/main').startFromCommandLine();
