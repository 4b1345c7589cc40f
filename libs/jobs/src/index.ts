export * from './job-catalogue';
export * from './job-queue';
export * from './job-processor';
export * from './failure';
export * from './redis-connection';
export * from './jobs.module';
export * from './queue-errors';
