import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid } from '../common';

export const poolDrainRequestedEvent = defineEvent({
  name: 'pool.drain.requested',
  version: 1,
  description: 'Take servers out of the online pool: drain to zero sessions, then maintenance.',
  producer: 'orchestrator',
  schema: z.object({
    operationId: uuid,
    deploymentId: uuid.optional(),
    pool: identifier,
    servers: z.array(identifier).min(1),
    drainTimeoutMs: z.number().int().min(100).max(3_600_000),
    /** The floor: fewer UP online servers than this after the drain and the request is refused. */
    minHealthy: z.number().int().min(0),
    onTimeout: z.enum(['fail', 'shutdown_sessions']).default('fail'),
  }),
});
export type PoolDrainRequested = z.infer<typeof poolDrainRequestedEvent.schema>;
