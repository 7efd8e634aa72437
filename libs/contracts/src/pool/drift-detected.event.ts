import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, nonEmpty } from '../common';

export const poolDriftDetectedEvent = defineEvent({
  name: 'pool.drift.detected',
  version: 1,
  description:
    'An HAProxy instance differs from the intended state (e.g. a reload put a maintenance server back UP).',
  producer: 'pool-manager',
  schema: z.object({
    pool: identifier,
    instance: identifier,
    backend: nonEmpty,
    server: identifier,
    intended: z.enum(['ready', 'drain', 'maint']),
    observed: nonEmpty,
  }),
});
export type PoolDriftDetected = z.infer<typeof poolDriftDetectedEvent.schema>;
