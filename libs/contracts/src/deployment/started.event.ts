import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid, version } from '../common';

export const deploymentStartedEvent = defineEvent({
  name: 'deployment.started',
  version: 1,
  description: 'A rollout began with this plan.',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    version,
    plan: z.object({
      batches: z.array(
        z.object({
          index: z.number().int().min(0),
          kind: z.enum(['canary', 'regular']),
          servers: z.array(identifier).min(1),
        }),
      ),
      minHealthy: z.number().int().min(0),
      totalServers: z.number().int().min(1),
      estimatedSeconds: z.number().nonnegative(),
    }),
  }),
});
