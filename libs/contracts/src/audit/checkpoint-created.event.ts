import { z } from 'zod';
import { defineEvent } from '../define-event';
import { isoTime, nonEmpty } from '../common';

export const auditCheckpointCreatedEvent = defineEvent({
  name: 'audit.checkpoint.created',
  version: 1,
  description: 'The audit log signed its head.',
  producer: 'audit',
  schema: z.object({
    seq: z.number().int().min(1),
    headHash: z.string().regex(/^[0-9a-f]{64}$/),
    time: isoTime,
    keyId: nonEmpty,
    signature: nonEmpty,
  }),
});
export type AuditCheckpointCreated = z.infer<typeof auditCheckpointCreatedEvent.schema>;
