import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, uuid, version } from '../common';

export const deploymentSucceededEvent = defineEvent({
  name: 'deployment.succeeded',
  version: 1,
  description: 'Every batch completed.',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    version,
    durationMs,
  }),
});
