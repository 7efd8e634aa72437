import { z } from 'zod';
import { defineEvent } from '../define-event';
import { uuid } from '../common';

/** The bake window ended without degradation, or stopped (degraded, aborted, interrupted). */
export const verificationBakeCompletedEvent = defineEvent({
  name: 'verification.bake.completed',
  version: 1,
  description: 'The bake window of a deployment ended: healthy, degraded or stopped.',
  producer: 'verifier',
  schema: z.object({
    bakeId: uuid,
    deploymentId: uuid,
    outcome: z.enum(['healthy', 'degraded', 'cancelled']),
    probes: z.number().int().nonnegative(),
    detail: z.string().min(1).max(2000),
  }),
});
