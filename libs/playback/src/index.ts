export * from './stream-key';
export * from './stream.repository';
export * from './stream-packaging.service';
export * from './playback.module';
