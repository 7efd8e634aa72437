import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, uuid } from '../common';

export const deploymentBatchCompletedEvent = defineEvent({
  name: 'deployment.batch.completed',
  version: 1,
  description: 'A batch is back online with the new version.',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    batchIndex: z.number().int().min(0),
    servers: z.array(identifier).min(1),
    durationMs,
  }),
});
