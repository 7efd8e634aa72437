import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty, uuid } from '../common';

export const promotionApprovalsVoidedEvent = defineEvent({
  name: 'promotion.approvals.voided',
  version: 1,
  description: 'Approvals no longer count: the plan or the artifact changed, or they expired.',
  producer: 'pipeline',
  schema: z.object({ promotionId: uuid, reason: nonEmpty, voided: z.number().int().min(0) }),
});
