export * from './object-store';
export * from './s3-object-store';
export * from './embedded-s3-server';
export * from './bucket-setup';
export * from './incomplete-upload-sweeper';
export * from './object-keys';
export * from './part-size';
export * from './storage.module';
