import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { API_ROLES, type ApiRole } from '@conveyor/contracts';
import type { Request } from 'express';
import type { ApiCaller } from './api-access.policy';

export const API_ROLES_KEY = 'conveyor:api-roles';

/** Every role of the pipeline's tokens: for reads any authenticated person or machine may make. */
export const ANY_API_ROLE: readonly ApiRole[] = API_ROLES;

/**
 * The roles that may call a route (on the handler, or the controller for all its handlers).
 * A route without any is refused to everyone: the guard fails closed.
 */
export const ApiRoles = (...roles: readonly ApiRole[]) => SetMetadata(API_ROLES_KEY, roles);

export interface ApiAuthenticatedRequest extends Request {
  apiCaller?: ApiCaller;
}

/** The authenticated caller of the current request (set by the ApiAuthGuard). */
export const CurrentApiCaller = createParamDecorator((_: unknown, context: ExecutionContext): ApiCaller => {
  const caller = context.switchToHttp().getRequest<ApiAuthenticatedRequest>().apiCaller;
  if (!caller) throw new Error('CurrentApiCaller used on a route the ApiAuthGuard did not authenticate');
  return caller;
});
