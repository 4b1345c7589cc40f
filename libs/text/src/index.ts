export * from './name-match';
export * from './person-redaction';
export * from './chat-log';
export * from './text-errors';
export * from './timeline';
export * from './webvtt';
export * from './contact-details';
export * from './safety-signals';
