import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty } from '../common';

export const apiActionPerformedEvent = defineEvent({
  name: 'api.action.performed',
  version: 1,
  description: 'A person or a machine changed something through the HTTP API.',
  producer: 'pipeline',
  schema: z.object({
    method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
    path: nonEmpty,
    status: z.number().int().min(100).max(599),
    role: z.string().max(50),
    summary: z.string().max(2000),
  }),
});
