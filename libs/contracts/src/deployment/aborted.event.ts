import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, nonEmpty, uuid } from '../common';

export const deploymentAbortedEvent = defineEvent({
  name: 'deployment.aborted',
  version: 1,
  description: 'An operator aborted the rollout; every server is online or held.',
  producer: 'orchestrator',
  schema: z.object({ deploymentId: uuid, reason: nonEmpty, durationMs }),
});
