export * from './key-wrap';
