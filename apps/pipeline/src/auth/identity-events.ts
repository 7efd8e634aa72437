import { MAX_TOKENS_PER_ANNOUNCEMENT, type AnnouncedToken, type EventInput } from '@conveyor/contracts';
import type { Role } from './role-policy';

/** A stored token as the pipeline keeps it (only the sha256 of its secret). */
export interface StoredToken {
  id: string;
  name: string;
  role: string;
  tokenHash: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

function announced(token: StoredToken): AnnouncedToken {
  return {
    tokenId: token.id,
    tokenHash: token.tokenHash,
    name: token.name,
    role: token.role as Role,
    issuedAt: token.createdAt.toISOString(),
    expiresAt: null,
  };
}

/** `identity.token.issued` for a new token: its hash, never its secret. Pure. */
export function issuedEvent(token: StoredToken): EventInput['identity.token.issued'] {
  return { ...announced(token), issuedBy: token.createdBy };
}

/**
 * Every token (revoked ones too, so a service that missed a revocation learns it) in parts of at
 * most MAX_TOKENS_PER_ANNOUNCEMENT. No tokens: no announcement. Pure.
 */
export function announcementParts(
  tokens: readonly StoredToken[],
  now: Date,
): EventInput['identity.tokens.announced'][] {
  const parts = Math.ceil(tokens.length / MAX_TOKENS_PER_ANNOUNCEMENT);
  return Array.from({ length: parts }, (_, index) => ({
    announcedAt: now.toISOString(),
    part: index + 1,
    parts,
    tokens: tokens
      .slice(index * MAX_TOKENS_PER_ANNOUNCEMENT, (index + 1) * MAX_TOKENS_PER_ANNOUNCEMENT)
      .map((token) => ({ ...announced(token), revokedAt: token.revokedAt?.toISOString() ?? null })),
  }));
}
