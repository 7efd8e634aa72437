import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid, version } from '../common';
import { healthCheckSchema } from '../manifest/verification.schema';
import { verificationTarget } from './requested.event';

/**
 * After a deployment completed: watch the online servers' health for `durationSeconds`,
 * probing every `intervalSeconds`; a server failing `failureThreshold` probes in a row is
 * degraded (`health.degraded`, so the orchestrator can roll back).
 */
export const verificationBakeRequestedEvent = defineEvent({
  name: 'verification.bake.requested',
  version: 1,
  description: 'Watch the online servers of a completed deployment for a bake window.',
  producer: 'orchestrator',
  schema: z.object({
    bakeId: uuid,
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    expectedVersion: version,
    servers: z.array(verificationTarget).min(1).max(256),
    health: healthCheckSchema,
    intervalSeconds: z.number().int().min(1).max(3600).default(10),
    durationSeconds: z.number().int().min(1).max(86_400),
    failureThreshold: z.number().int().min(1).max(100).default(3),
  }),
});
export type VerificationBakeRequested = z.infer<typeof verificationBakeRequestedEvent.schema>;
