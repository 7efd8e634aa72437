import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, nonEmpty } from '../common';

export const poolDriftCorrectedEvent = defineEvent({
  name: 'pool.drift.corrected',
  version: 1,
  description: 'The reconciler put an instance back to the intended state.',
  producer: 'pool-manager',
  schema: z.object({
    pool: identifier,
    instance: identifier,
    backend: nonEmpty,
    server: identifier,
    intended: z.enum(['ready', 'drain', 'maint']),
    correctedInMs: durationMs,
  }),
});
export type PoolDriftCorrected = z.infer<typeof poolDriftCorrectedEvent.schema>;
