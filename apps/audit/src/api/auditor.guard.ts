import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { AUDIT_SETTINGS, type AuditSettings } from '../chain/audit.tokens';

/**
 * The auditor role, for now: `Authorization: Bearer <AUDIT_API_TOKEN>`. When the pipeline
 * service issues API tokens with roles, this guard checks for the `auditor` role instead.
 */
@Injectable()
export class AuditorGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(AUDIT_SETTINGS) settings: AuditSettings) {
    this.expected = digest(settings.apiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('the audit API needs an auditor token: Authorization: Bearer <token>');
    }
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
