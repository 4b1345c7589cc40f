/**
 * A local stand-in for Zoom: its download host and signed storage (with fault injection), its REST
 * API and OAuth, realistic webhook bodies and signatures, and sample media made with ffmpeg. Used by
 * `zoom:simulate`, the quickstart, end-to-end tests and benchmarks; never by the running service.
 */
export * from './download-token';
export * from './fake-zoom-api';
export * from './fake-zoom-host';
export * from './http-test-client';
export * from './sample-media';
export * from './sample-script';
export * from './simulate-recording';
export * from './zoom-events';
