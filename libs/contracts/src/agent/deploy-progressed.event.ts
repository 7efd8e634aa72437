import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty } from '../common';
import { agentStepReport } from './agent-step-report';

export const agentDeployProgressedEvent = defineEvent({
  name: 'agent.deploy.progressed',
  version: 1,
  description: 'An agent finished one phase of a deploy step (download, unpack, a hook).',
  producer: 'agent',
  schema: agentStepReport.extend({ phase: nonEmpty, detail: z.string().max(4000).optional() }),
});
