export * from './session-match';
export * from './session-registration';
export * from './session-registry.service';
export * from './sessions.module';
