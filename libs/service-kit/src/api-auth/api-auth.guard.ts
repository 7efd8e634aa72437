import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { ApiRole } from '@conveyor/contracts';
import { DataSource } from 'typeorm';
import { decideAccess, type ApiCaller } from './api-access.policy';
import { API_ROLES_KEY, type ApiAuthenticatedRequest } from './api-roles.decorator';
import { hashApiToken, parseBearer } from './bearer-token';
import { IdentityTokensRepository } from './identity-tokens.repository';

/** Told about a known caller refused for their role (the audit log records it in its chain). */
export interface ApiAccessRefusals {
  refused(caller: ApiCaller, request: ApiAuthenticatedRequest, reason: string): Promise<void>;
}
export const API_ACCESS_REFUSALS = Symbol('API_ACCESS_REFUSALS');

/** Controllers anyone may call: `/health` (probes) and `/metrics` (Prometheus). */
export const PUBLIC_CONTROLLERS = Symbol('PUBLIC_CONTROLLERS');

/**
 * Every HTTP route of the service (but the public controllers) needs `Authorization: Bearer` with
 * a token the pipeline announced, not revoked, not expired, whose role the route allows
 * (`@ApiRoles`). 401 when the caller is unknown, 403 when their role may not; each says why.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  private refusals: ApiAccessRefusals | null | undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly tokens: IdentityTokensRepository,
    private readonly moduleRef: ModuleRef,
    private readonly publicControllers: ReadonlySet<Type>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.publicControllers.has(context.getClass())) return true;
    const request = context.switchToHttp().getRequest<ApiAuthenticatedRequest>();
    const roles =
      this.reflector.getAllAndOverride<readonly ApiRole[] | undefined>(API_ROLES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? null;
    const bearer = parseBearer(request.headers.authorization);
    const token = bearer.ok
      ? await this.tokens.findByHash(this.dataSource.manager, hashApiToken(bearer.token))
      : null;
    const decision = decideAccess(bearer, token, new Date(), roles, `${request.method} ${request.path}`);
    if (decision.ok) {
      request.apiCaller = decision.caller;
      return true;
    }
    if (decision.status === 401) {
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: decision.message });
    }
    if (decision.caller !== null)
      await this.refusalListener()?.refused(decision.caller, request, decision.message);
    throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: decision.message });
  }

  private refusalListener(): ApiAccessRefusals | null {
    if (this.refusals === undefined) {
      try {
        this.refusals = this.moduleRef.get<ApiAccessRefusals>(API_ACCESS_REFUSALS, { strict: false });
      } catch {
        this.refusals = null;
      }
    }
    return this.refusals;
  }
}
