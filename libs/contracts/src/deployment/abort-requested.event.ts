import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty, uuid } from '../common';

export const deploymentAbortRequestedEvent = defineEvent({
  name: 'deployment.abort.requested',
  version: 1,
  description: 'Someone asked to abort a rollout.',
  producer: 'pipeline',
  schema: z.object({ deploymentId: uuid, reason: nonEmpty }),
});
