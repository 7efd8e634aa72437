import { z } from 'zod';
import { defineEvent } from '../define-event';
import { uuid } from '../common';

export const deploymentRetryRequestedEvent = defineEvent({
  name: 'deployment.retry.requested',
  version: 1,
  description: 'Someone asked to retry the failed step of a held rollout.',
  producer: 'pipeline',
  schema: z.object({ deploymentId: uuid }),
});
