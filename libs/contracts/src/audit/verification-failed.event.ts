import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty } from '../common';

export const auditVerificationFailedEvent = defineEvent({
  name: 'audit.verification.failed',
  version: 1,
  description: 'Recomputing the chain found a broken entry.',
  producer: 'audit',
  schema: z.object({ firstBadSeq: z.number().int().min(1), reason: nonEmpty }),
});
