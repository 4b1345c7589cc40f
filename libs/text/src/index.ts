export * from './name-match';
export * from './person-redaction';
