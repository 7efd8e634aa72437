import type { z } from 'zod';
import { defineEvent } from '../define-event';
import { agentStepFailure } from './agent-step-report';

export const agentDeployFailedEvent = defineEvent({
  name: 'agent.deploy.failed',
  version: 1,
  description: 'A deploy step failed; the previous release keeps serving.',
  producer: 'agent',
  schema: agentStepFailure,
});
export type AgentDeployFailed = z.infer<typeof agentDeployFailedEvent.schema>;
