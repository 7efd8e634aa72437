import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, uuid } from '../common';

export const poolServerDrainedEvent = defineEvent({
  name: 'pool.server.drained',
  version: 1,
  description: 'Servers left the online pool with no session cut.',
  producer: 'pool-manager',
  schema: z.object({
    operationId: uuid,
    deploymentId: uuid.optional(),
    pool: identifier,
    servers: z.array(
      z.object({
        server: identifier,
        sessionsAtStart: z.number().int().min(0),
        waitedMs: durationMs,
        sessionsShutDown: z.number().int().min(0),
      }),
    ),
    durationMs,
  }),
});
export type PoolServerDrained = z.infer<typeof poolServerDrainedEvent.schema>;
