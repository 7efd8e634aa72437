import { z } from 'zod';
import { defineEvent } from '../define-event';
import { uuid } from '../common';

export const deploymentResumeRequestedEvent = defineEvent({
  name: 'deployment.resume.requested',
  version: 1,
  description: 'Someone asked to resume a paused rollout.',
  producer: 'pipeline',
  schema: z.object({ deploymentId: uuid }),
});
