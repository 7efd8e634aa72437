import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, nonEmpty, uuid, version } from '../common';

export const promotionRequestedEvent = defineEvent({
  name: 'promotion.requested',
  version: 1,
  description: 'Someone asked to promote a version to an environment.',
  producer: 'pipeline',
  schema: z.object({
    promotionId: uuid,
    service: identifier,
    version,
    fromEnvironment: identifier.nullable(),
    toEnvironment: identifier,
    requestedBy: nonEmpty,
    approvalsRequired: z.number().int().min(0),
  }),
});
