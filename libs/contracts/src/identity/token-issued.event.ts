import { z } from 'zod';
import { defineEvent } from '../define-event';
import { announcedToken, tokenHolderName } from './token-fields';

/** The pipeline issued an API token; services add it to their read model of identities. */
export const identityTokenIssuedEvent = defineEvent({
  name: 'identity.token.issued',
  version: 1,
  producer: 'pipeline',
  description:
    'The pipeline issued an API token: its id, the sha256 of its secret (never the secret), holder, role, expiry.',
  schema: announcedToken.extend({
    /** The admin who issued it. */
    issuedBy: tokenHolderName,
  }),
});
export type IdentityTokenIssued = z.infer<typeof identityTokenIssuedEvent.schema>;
