export * from './metrics';
export * from './log-redaction';
export * from './observability.module';
