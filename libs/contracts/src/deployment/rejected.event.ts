import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, nonEmpty, uuid } from '../common';

export const deploymentRejectedEvent = defineEvent({
  name: 'deployment.rejected',
  version: 1,
  description:
    'The orchestrator refused a deployment request (another is running, the plan breaks the floor, or its proof does not hold).',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    reason: z.enum([
      'deployment_in_progress',
      'plan_refused',
      'no_targets',
      'invalid_request',
      'proof_refused',
    ]),
    detail: nonEmpty,
  }),
});
export type DeploymentRejected = z.infer<typeof deploymentRejectedEvent.schema>;
