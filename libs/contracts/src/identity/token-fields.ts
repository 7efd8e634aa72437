import { z } from 'zod';
import { isoTime, sha256Hex, uuid } from '../common';
import { API_ROLES } from './api-roles';

/** Who holds a token: a person (alice@example.com) or a machine (jenkins). */
export const tokenHolderName = z.string().min(1).max(100).regex(/^\S+$/, 'must have no spaces');

export const apiRole = z.enum(API_ROLES, { error: `must be one of ${API_ROLES.join(', ')}` });

/**
 * What a service needs to authenticate a token: its id, the sha256 (hex) of the secret — never
 * the secret —, its holder, role and expiry.
 */
export const announcedToken = z.object({
  tokenId: uuid,
  tokenHash: sha256Hex,
  name: tokenHolderName,
  role: apiRole,
  issuedAt: isoTime,
  /** null: does not expire (revoke it to end it). */
  expiresAt: isoTime.nullable(),
});
export type AnnouncedToken = z.infer<typeof announcedToken>;
