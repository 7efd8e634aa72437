import { timingSafeEqual } from 'node:crypto';
import {
  HttpException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { PIPELINE_SETTINGS, type PipelineSettings } from '../config/pipeline-env';
import { forbidden, messageOf } from '../http/api-errors';
import { hashApiToken, parseBearer } from './api-token.codec';
import { ApiTokensRepository } from './api-tokens.repository';
import { DeniedCallsRecorder } from './denied-calls.recorder';
import { PERMISSION_KEY, type AuthenticatedRequest } from './caller.decorator';
import { PERMISSIONS, ROLES, type Caller, type Permission, type Role } from './role-policy';

export const BOOTSTRAP_ADMIN = 'admin:bootstrap';

/**
 * Bearer API tokens: 401 when the caller is unknown, 403 when their role may not do this; each says
 * why, and each refusal is written to the audit log (`api.access.denied`, DeniedCallsRecorder).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly adminHash: Buffer | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly tokens: ApiTokensRepository,
    private readonly deniedCalls: DeniedCallsRecorder,
    @Inject(PIPELINE_SETTINGS) settings: PipelineSettings,
  ) {
    this.adminHash = settings.adminToken ? Buffer.from(hashApiToken(settings.adminToken), 'hex') : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    let caller: Caller | undefined;
    try {
      const permission = this.reflector.get<Permission | undefined>(PERMISSION_KEY, context.getHandler());
      if (!permission) throw forbidden('this endpoint declares no permission, so nobody may call it');
      caller = await this.authenticate(request.headers.authorization);
      const allowed: readonly Role[] = PERMISSIONS[permission];
      if (!allowed.includes(caller.role)) {
        throw forbidden(
          `role ${caller.role} may not ${request.method} ${request.path}; allowed roles: ${allowed.join(', ')}`,
        );
      }
    } catch (error) {
      if (error instanceof HttpException && (error.getStatus() === 401 || error.getStatus() === 403)) {
        await this.deniedCalls.denied({
          method: request.method.toUpperCase().slice(0, 16),
          path: request.path.slice(0, 2000) || '/',
          status: error.getStatus() as 401 | 403,
          reason: messageOf(error).slice(0, 2000),
          caller: caller?.name.slice(0, 200) ?? null,
          role: caller?.role ?? null,
          remoteAddress: (request.ip ?? request.socket.remoteAddress ?? null)?.slice(0, 100) ?? null,
        });
      }
      throw error;
    }
    request.caller = caller;
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Caller> {
    const bearer = parseBearer(header);
    if (!bearer.ok) throw unauthorized(bearer.reason);
    const hash = hashApiToken(bearer.token);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { tokenId: null, name: BOOTSTRAP_ADMIN, role: 'admin' };
    }
    const token = await this.tokens.findActiveByHash(this.dataSource.manager, hash);
    if (!token || !isRole(token.role)) throw unauthorized('unknown or revoked API token');
    return { tokenId: token.id, name: token.name, role: token.role };
  }
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}

function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role);
}
