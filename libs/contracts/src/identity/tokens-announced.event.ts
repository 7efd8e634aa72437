import { z } from 'zod';
import { isoTime } from '../common';
import { defineEvent } from '../define-event';
import { announcedToken } from './token-fields';

/** Most tokens in one announcement; more are announced in several parts. */
export const MAX_TOKENS_PER_ANNOUNCEMENT = 200;

/**
 * The pipeline re-announces every token it knows, at start and periodically, so a service that
 * was not listening when a token was issued or revoked (a fresh one, a lost message) catches up.
 * Revoked tokens are announced too, with `revokedAt`: a service that missed the revocation learns it.
 */
export const identityTokensAnnouncedEvent = defineEvent({
  name: 'identity.tokens.announced',
  version: 1,
  producer: 'pipeline',
  description:
    'The pipeline re-announces its API tokens (active and revoked), so every service converges on the same identities.',
  schema: z.object({
    announcedAt: isoTime,
    part: z.number().int().min(1),
    parts: z.number().int().min(1),
    tokens: z
      .array(announcedToken.extend({ revokedAt: isoTime.nullable() }))
      .max(MAX_TOKENS_PER_ANNOUNCEMENT),
  }),
});
