export * from './name-match';
