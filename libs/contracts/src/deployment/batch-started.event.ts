import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid } from '../common';

export const deploymentBatchStartedEvent = defineEvent({
  name: 'deployment.batch.started',
  version: 1,
  description: 'A batch of servers starts leaving the pool.',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    batchIndex: z.number().int().min(0),
    kind: z.enum(['canary', 'regular']),
    servers: z.array(identifier).min(1),
  }),
});
