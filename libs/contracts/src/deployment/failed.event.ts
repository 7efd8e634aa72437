import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, nonEmpty, uuid, version } from '../common';

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
    /**
     * Every target as the orchestrator knows it when the deployment ended (optional: older
     * producers leave it out): its version (null: unknown), whether it serves the deployment's new
     * version, the one before, or an unknown one, and whether it is in the online pool.
     */
    servers: z
      .array(
        z.object({
          serverId: identifier,
          version: version.nullable(),
          state: z.enum(['new', 'previous', 'unknown']),
          inPool: z.boolean(),
        }),
      )
      .max(10_000)
      .optional(),
  }),
});
