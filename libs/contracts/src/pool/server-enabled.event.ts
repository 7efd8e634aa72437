import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, uuid } from '../common';

export const poolServerEnabledEvent = defineEvent({
  name: 'pool.server.enabled',
  version: 1,
  description: 'Servers are UP in the online pool again.',
  producer: 'pool-manager',
  schema: z.object({
    operationId: uuid,
    deploymentId: uuid.optional(),
    pool: identifier,
    servers: z.array(identifier).min(1),
    durationMs,
  }),
});
export type PoolServerEnabled = z.infer<typeof poolServerEnabledEvent.schema>;
