import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty, uuid } from '../common';

export const deploymentControlRefusedEvent = defineEvent({
  name: 'deployment.control.refused',
  version: 1,
  description:
    'A control (pause, resume, abort, retry, exclude-host) could not apply to the deployment as it is.',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    control: z.enum(['pause', 'resume', 'abort', 'retry', 'exclude']),
    reason: nonEmpty,
  }),
});
