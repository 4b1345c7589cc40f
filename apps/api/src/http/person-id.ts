/**
 * A person id as the platform sends it (sessions, consents, assignments, the feedback page): safe
 * in a path, a log line and an HTML attribute, since it holds no quote, angle bracket or space.
 */
export const PERSON_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
