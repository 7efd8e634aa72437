import { createHash } from 'node:crypto';

/** What a token is known by: the sha256 (hex) of its secret. The secret itself is never stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type BearerParse = { ok: true; token: string } | { ok: false; reason: string };

/** Reads `Authorization: Bearer <token>`, saying what is wrong when it is not that. Pure. */
export function parseBearer(header: string | undefined): BearerParse {
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: 'no API token: send Authorization: Bearer <token>' };
  }
  const token = /^Bearer +(\S+)\s*$/i.exec(header)?.[1];
  if (token === undefined) return { ok: false, reason: 'the Authorization header must be "Bearer <token>"' };
  return { ok: true, token };
}
