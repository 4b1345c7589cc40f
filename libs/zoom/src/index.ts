/**
 * Zoom's webhook protocol as plain data and pure functions: the event shapes we rely on and the
 * request signature (see shared/ZOOM.md). No Nest, no I/O, no other lib (.dependency-cruiser.cjs),
 * so the service (libs/ingest) and the stand-in Zoom (libs/zoom-simulator) share one definition.
 */
export * from './zoom-event';
export * from './zoom-signature';
