import { z } from 'zod';
import { defineEvent } from '../define-event';
import { uuid } from '../common';

export const deploymentPauseRequestedEvent = defineEvent({
  name: 'deployment.pause.requested',
  version: 1,
  description: 'Someone asked to pause a rollout after its current step.',
  producer: 'pipeline',
  schema: z.object({ deploymentId: uuid }),
});
