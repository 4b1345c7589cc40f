export * from './upload-rules';
export * from './upload-errors';
export * from './upload.service';
export * from './uploads.module';
