import type { ContactDetail } from './contact-details';

/**
 * A detector's finding. An `allowed` one (the platform's own link or email) is dropped from the
 * result, but only after it has hidden what lies inside it (a path segment like `/@jane`).
 */
export interface ContactCandidate extends ContactDetail {
  allowed?: boolean;
}
