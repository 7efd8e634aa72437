import { z } from 'zod';
import { defineEvent } from '../define-event';
import { uuid } from '../common';

export const deploymentResumedEvent = defineEvent({
  name: 'deployment.resumed',
  version: 1,
  description: 'A paused rollout goes on.',
  producer: 'orchestrator',
  schema: z.object({ deploymentId: uuid }),
});
