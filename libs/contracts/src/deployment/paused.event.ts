import { z } from 'zod';
import { defineEvent } from '../define-event';
import { uuid } from '../common';

export const deploymentPausedEvent = defineEvent({
  name: 'deployment.paused',
  version: 1,
  description: 'The rollout paused after its current step.',
  producer: 'orchestrator',
  schema: z.object({ deploymentId: uuid }),
});
