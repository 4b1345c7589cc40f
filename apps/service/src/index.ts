/**
 * The composition root: the one place where the api and the worker meet (RUN_MODE picks which run).
 * Entry points (apps/api/src/main.ts, apps/worker/src/main.ts) and the test harness use this door.
 */
export { createService, runService, startFromCommandLine } from './create-service';
export { ServiceModule } from './service.module';
export type { ServiceOptions } from './service.module';
