import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs } from '../common';
import { agentStepReport } from './agent-step-report';

export const agentDeploySucceededEvent = defineEvent({
  name: 'agent.deploy.succeeded',
  version: 1,
  description: 'An agent switched to the new release and its hooks passed.',
  producer: 'agent',
  schema: agentStepReport.extend({ durationMs, replayed: z.boolean().default(false) }),
});
