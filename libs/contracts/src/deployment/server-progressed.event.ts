import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid } from '../common';

export const deploymentServerProgressedEvent = defineEvent({
  name: 'deployment.server.progressed',
  version: 1,
  description: 'One server of a batch moved to another step (the read model of progress).',
  producer: 'orchestrator',
  schema: z.object({
    deploymentId: uuid,
    batchIndex: z.number().int().min(0),
    serverId: identifier,
    step: z.enum([
      'pending',
      'draining',
      'drained',
      'deploying',
      'deployed',
      'verifying',
      'verified',
      'enabling',
      'online',
      'rolling_back',
      'held',
      'failed',
      'excluded',
    ]),
    detail: z.string().max(2000).optional(),
  }),
});
export type DeploymentServerProgressed = z.infer<typeof deploymentServerProgressedEvent.schema>;
