import { API_ROLES, type ApiRole } from '@conveyor/contracts';
import type { BearerParse } from './bearer-token';

/** A token as the service's read model knows it (from the pipeline's identity events). */
export interface KnownToken {
  readonly tokenId: string;
  readonly name: string;
  readonly role: string;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

/** Who is calling: the token's holder and role. The holder's name is the actor the service records. */
export interface ApiCaller {
  readonly tokenId: string;
  readonly name: string;
  readonly role: ApiRole;
}

export type AccessDecision =
  | { ok: true; caller: ApiCaller }
  /** 401: nobody we know; 403: a known caller whose role may not do this (caller set). */
  | { ok: false; status: 401; message: string }
  | { ok: false; status: 403; message: string; caller: ApiCaller | null };

/**
 * Whether a request may go on. `allowed` is the roles the route declares (null: it declares none,
 * so nobody may call it — fail closed). Pure.
 */
export function decideAccess(
  bearer: BearerParse,
  token: KnownToken | null,
  now: Date,
  allowed: readonly ApiRole[] | null,
  route: string,
): AccessDecision {
  if (!bearer.ok) return { ok: false, status: 401, message: bearer.reason };
  if (token === null) return { ok: false, status: 401, message: 'unknown or revoked API token' };
  if (token.revokedAt !== null) return { ok: false, status: 401, message: 'unknown or revoked API token' };
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime())
    return { ok: false, status: 401, message: `the API token expired at ${token.expiresAt.toISOString()}` };
  if (!isApiRole(token.role))
    return { ok: false, status: 401, message: `the API token has an unknown role "${token.role}"` };
  const caller: ApiCaller = { tokenId: token.tokenId, name: token.name, role: token.role };
  if (allowed === null)
    return {
      ok: false,
      status: 403,
      message: `${route} declares no role, so nobody may call it`,
      caller,
    };
  if (!allowed.includes(caller.role)) {
    return {
      ok: false,
      status: 403,
      message: `role ${caller.role} may not ${route}; allowed roles: ${allowed.join(', ')}`,
      caller,
    };
  }
  return { ok: true, caller };
}

export function isApiRole(role: string): role is ApiRole {
  return (API_ROLES as readonly string[]).includes(role);
}
