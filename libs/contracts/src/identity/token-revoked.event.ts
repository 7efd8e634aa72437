import { z } from 'zod';
import { isoTime, uuid } from '../common';
import { defineEvent } from '../define-event';
import { apiRole, tokenHolderName } from './token-fields';

/** The pipeline revoked an API token; every service refuses it from then on (revocation is final). */
export const identityTokenRevokedEvent = defineEvent({
  name: 'identity.token.revoked',
  version: 1,
  producer: 'pipeline',
  description: 'The pipeline revoked an API token; services refuse it from then on. Final.',
  schema: z.object({
    tokenId: uuid,
    name: tokenHolderName,
    role: apiRole,
    revokedAt: isoTime,
    revokedBy: tokenHolderName,
  }),
});
