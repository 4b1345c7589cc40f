/**
 * The api app's door for the composition root (apps/service): its Nest modules and HTTP set-up.
 * Nothing here starts a process; apps/api/src/main.ts is the entry point.
 */
export { ApiModule, OperationsHttpModule } from './api.module';
export { configureHttp } from './http/configure-http';
