import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, nonEmpty, uuid } from '../common';

export const healthDegradedEvent = defineEvent({
  name: 'health.degraded',
  version: 1,
  description: 'During the bake window the online servers failed their health check.',
  producer: 'verifier',
  schema: z.object({
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    servers: z.array(identifier).min(1),
    detail: nonEmpty,
  }),
});
