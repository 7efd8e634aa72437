import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs, identifier, nonEmpty, uuid, version } from '../common';

export const deploymentRolledBackEvent = defineEvent({
  name: 'deployment.rolled_back',
  version: 1,
  description: 'The rollout failed and the affected servers run the previous version again.',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    version,
    failedStep: nonEmpty,
    serverId: identifier.optional(),
    reason: nonEmpty,
    durationMs,
  }),
});
