import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, nonEmpty, uuid } from '../common';

/** The orchestrator refused a deployment request (another is running, or the plan breaks the floor). */
export const deploymentRejectedEvent = defineEvent({
  name: 'deployment.rejected',
  version: 1,
  description:
    'The orchestrator refused a deployment request (another is running, or the plan breaks the floor).',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    reason: z.enum(['deployment_in_progress', 'plan_refused', 'no_targets', 'invalid_request']),
    detail: nonEmpty,
  }),
});
export type DeploymentRejected = z.infer<typeof deploymentRejectedEvent.schema>;
