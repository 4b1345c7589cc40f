import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from '@lib/auth';

export const PUBLIC_ROUTE = 'access:public';
export const ALLOWED_ROLES = 'access:roles';

/** No bearer token needed (Zoom's webhook has its own signature; health and metrics). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Roles that may call the route. Routes are closed to everyone else: deny by default. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** The verified caller. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);
