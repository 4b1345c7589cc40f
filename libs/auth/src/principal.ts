export const ROLES = ['platform', 'admin', 'reviewer', 'volunteer_reviewer', 'safety', 'tutor', 'researcher', 'family'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: the person id from the token's `sub` and the roles it grants. */
export interface Principal {
  personId: string;
  roles: Role[];
}

export function hasAnyRole(principal: Principal, allowed: readonly Role[]): boolean {
  return principal.roles.some((role) => allowed.includes(role));
}

export function rolesFromClaim(claim: unknown): Role[] {
  if (!Array.isArray(claim)) return [];
  return claim.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
}
