import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid } from '../common';

export const agentCommandRejectedEvent = defineEvent({
  name: 'agent.command.rejected',
  version: 1,
  description: 'An agent refused a command (unsigned, unknown key, expired, replayed, not meant for it).',
  producer: 'agent',
  schema: z.object({
    nodeId: identifier,
    commandId: uuid.optional(),
    commandType: z.string().max(200),
    reason: z.enum([
      'unsigned',
      'malformed',
      'unknown_key',
      'bad_signature',
      'expired',
      'not_yet_valid',
      'replayed',
      'not_for_me',
    ]),
    detail: z.string().max(2000),
  }),
});
