import { z } from 'zod';
import { defineEvent } from '../define-event';
import { durationMs } from '../common';
import { agentStepReport } from './agent-step-report';

export const agentMigrateSucceededEvent = defineEvent({
  name: 'agent.migrate.succeeded',
  version: 1,
  description: 'The migration hook succeeded.',
  producer: 'agent',
  schema: agentStepReport.extend({ durationMs, replayed: z.boolean().default(false) }),
});
