import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'cvy_';

/** A new API token: `cvy_` and 32 random bytes in base64url. */
export function generateApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored and looked up: the token's sha256 in hex. The token itself is never stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type BearerParse = { ok: true; token: string } | { ok: false; reason: string };

/** Reads `Authorization: Bearer <token>`, saying what is wrong when it is not that. */
export function parseBearer(header: string | undefined): BearerParse {
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: 'no API token: send Authorization: Bearer <token>' };
  }
  const token = /^Bearer +(\S+)\s*$/i.exec(header)?.[1];
  if (token === undefined) return { ok: false, reason: 'the Authorization header must be "Bearer <token>"' };
  return { ok: true, token };
}
