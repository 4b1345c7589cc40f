const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path parameter can be one of our row ids (uuid): anything else is "not found" without a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
