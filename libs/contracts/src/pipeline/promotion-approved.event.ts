import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty, uuid } from '../common';

export const promotionApprovedEvent = defineEvent({
  name: 'promotion.approved',
  version: 1,
  description: 'An approver approved a promotion, bound to its plan and artifact.',
  producer: 'pipeline',
  schema: z.object({
    promotionId: uuid,
    approver: nonEmpty,
    planHash: nonEmpty,
    artifactSha256: nonEmpty,
    approvalsCount: z.number().int().min(1),
  }),
});
