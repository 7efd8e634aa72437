import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid } from '../common';

export const poolEnableRequestedEvent = defineEvent({
  name: 'pool.enable.requested',
  version: 1,
  description: 'Put servers back into the online pool once HAProxy sees them healthy.',
  producer: 'orchestrator',
  schema: z.object({
    operationId: uuid,
    deploymentId: uuid.optional(),
    pool: identifier,
    servers: z.array(identifier).min(1),
    healthTimeoutMs: z.number().int().min(100).max(3_600_000),
  }),
});
export type PoolEnableRequested = z.infer<typeof poolEnableRequestedEvent.schema>;
