import type { z } from 'zod';
import { defineEvent } from '../define-event';
import { agentStepReport } from './agent-step-report';

export const agentDeployStartedEvent = defineEvent({
  name: 'agent.deploy.started',
  version: 1,
  description: 'An agent began a deploy step.',
  producer: 'agent',
  schema: agentStepReport,
});
export type AgentDeployStarted = z.infer<typeof agentDeployStartedEvent.schema>;
