import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Caller, Permission } from './role-policy';

export const PERMISSION_KEY = 'pipeline:permission';

/** The permission a handler needs; a handler without one is refused (the guard fails closed). */
export const Requires = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

export interface AuthenticatedRequest extends Request {
  caller?: Caller;
}

/** Who is calling, and what they call: what `api.action.performed` records. */
export interface ApiAction {
  caller: Caller;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a handler without the AuthGuard');
  return caller;
});

export const CurrentAction = createParamDecorator((_: unknown, context: ExecutionContext): ApiAction => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.caller) throw new Error('CurrentAction used on a handler without the AuthGuard');
  const method = request.method.toUpperCase();
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') {
    throw new Error(`CurrentAction used on a ${method} handler`);
  }
  return { caller: request.caller, method, path: request.path };
});
