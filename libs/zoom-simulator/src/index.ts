export * from './download-token';
export * from './fake-zoom-api';
export * from './fake-zoom-host';
export * from './sample-media';
export * from './sample-script';
export * from './simulate-recording';
export * from './zoom-events';
