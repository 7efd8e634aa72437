import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, nonEmpty, uuid, version } from '../common';

/** The rollout stopped on a failure and could not restore the previous state, or was held. */
export const deploymentFailedEvent = defineEvent({
  name: 'deployment.failed',
  version: 1,
  description: 'The rollout stopped on a failure and could not restore the previous state, or was held.',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    version,
    step: nonEmpty,
    serverId: identifier.optional(),
    reason: nonEmpty,
    durationMs,
  }),
});
export type DeploymentFailed = z.infer<typeof deploymentFailedEvent.schema>;
