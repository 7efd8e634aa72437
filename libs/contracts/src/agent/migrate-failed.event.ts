import { defineEvent } from '../define-event';
import { agentStepFailure } from './agent-step-report';

export const agentMigrateFailedEvent = defineEvent({
  name: 'agent.migrate.failed',
  version: 1,
  description: 'The migration hook failed; no server was touched.',
  producer: 'agent',
  schema: agentStepFailure,
});
