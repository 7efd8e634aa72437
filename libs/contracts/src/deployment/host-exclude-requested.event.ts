import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, nonEmpty, uuid } from '../common';

export const deploymentHostExcludeRequestedEvent = defineEvent({
  name: 'deployment.host.exclude.requested',
  version: 1,
  description: 'Someone asked to leave one server out of the rest of a rollout.',
  producer: 'pipeline',
  schema: z.object({ deploymentId: uuid, serverId: identifier, reason: nonEmpty }),
});
