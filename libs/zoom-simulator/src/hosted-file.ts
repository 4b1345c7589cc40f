import { ByteSource, ServePlan } from './serve-bytes';

/** Ways one file's download misbehaves, each seen in real Zoom deliveries or their CDNs. */
export interface FileFaults {
  /** The first N authorised download attempts answer 503. */
  failFirst?: number;
  /** Storage resets the connection after this many body bytes… */
  dropAfterBytes?: number;
  /** …on its first `dropTimes` responses (default 1; Infinity for every response). */
  dropTimes?: number;
  /** Storage goes silent (connection open, no more bytes) after this many body bytes… */
  stallAfterBytes?: number;
  /** …on its first `stallTimes` responses (default 1). */
  stallTimes?: number;
  /** The download host answers 200 text/html with an error page instead of redirecting. */
  htmlErrorPage?: boolean;
  /** The download host answers 200 with a small JSON error instead of redirecting. */
  jsonError?: boolean;
  /** Storage trickles the body at this rate. */
  throttleBytesPerSecond?: number;
  /** The download host redirects here instead of to its storage (e.g. a host not on the allow-list). */
  redirectTo?: string;
}

/** A served file and its counters; faults are "the first N times", so they are counted here. */
export interface HostedFile {
  source: ByteSource;
  size: number;
  contentType: string;
  faults: FileFaults;
  attempts: number;
  drops: number;
  stalls: number;
  bytesServed: number;
}

/** Decides how the next storage response for this file misbehaves, and counts it. */
export function nextServePlan(file: HostedFile): ServePlan {
  const { faults } = file;
  const plan: ServePlan = { bytesPerSecond: faults.throttleBytesPerSecond };
  if (faults.dropAfterBytes !== undefined && file.drops < (faults.dropTimes ?? 1)) {
    file.drops += 1;
    plan.limit = { bytes: faults.dropAfterBytes, then: 'drop' };
  } else if (faults.stallAfterBytes !== undefined && file.stalls < (faults.stallTimes ?? 1)) {
    file.stalls += 1;
    plan.limit = { bytes: faults.stallAfterBytes, then: 'stall' };
  }
  return plan;
}
