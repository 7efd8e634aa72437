import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs } from '../common';
import { agentStepReport } from './agent-step-report';

export const agentRollbackSucceededEvent = defineEvent({
  name: 'agent.rollback.succeeded',
  version: 1,
  description: 'An agent runs the previous release again.',
  producer: 'agent',
  schema: agentStepReport.extend({
    durationMs,
    replayed: z.boolean().default(false),
    /** The release asked for already served: the step succeeded without changing anything. */
    unchanged: z.boolean().optional(),
    detail: z.string().max(2000).optional(),
  }),
});
