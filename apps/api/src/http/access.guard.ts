import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hasAnyRole, InvalidToken, Role, TokenVerifier } from '@lib/auth';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './access.decorators';

/**
 * Every route needs a valid bearer token and one of its declared roles, unless marked public.
 * A route that declares no roles is open to nobody: forgetting @Roles cannot open a door.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('a bearer token is required');
    try {
      request.principal = await this.tokens.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidToken) throw new UnauthorizedException('the bearer token is not valid');
      throw error;
    }
    const allowed = this.reflector.getAllAndOverride<Role[]>(ALLOWED_ROLES, targets) ?? [];
    if (!hasAnyRole(request.principal, allowed)) throw new ForbiddenException('your role may not do this');
    return true;
  }
}
