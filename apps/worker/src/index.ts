/** The worker app's door for the composition root (apps/service); apps/worker/src/main.ts is the entry point. */
export { WorkerModule } from './worker.module';
