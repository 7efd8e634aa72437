import { defineEvent } from '../define-event';
import { agentStepReport } from './agent-step-report';

export const agentDeployStartedEvent = defineEvent({
  name: 'agent.deploy.started',
  version: 1,
  description: 'An agent began a deploy step.',
  producer: 'agent',
  schema: agentStepReport,
});
