import { defineEvent } from '../define-event';
import { rollbackCommandPayload, signedCommandOfKind } from './signed-command';

export const agentRollbackRequestedEvent = defineEvent({
  name: 'agent.rollback.requested',
  version: 1,
  description: 'Signed command: switch back to the previous kept release (no download).',
  producer: 'orchestrator',
  schema: signedCommandOfKind('rollback', rollbackCommandPayload),
});
