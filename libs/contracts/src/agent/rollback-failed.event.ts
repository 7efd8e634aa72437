import { defineEvent } from '../define-event';
import { agentStepFailure } from './agent-step-report';

export const agentRollbackFailedEvent = defineEvent({
  name: 'agent.rollback.failed',
  version: 1,
  description: 'An agent could not roll back.',
  producer: 'agent',
  schema: agentStepFailure,
});
