import { z } from 'zod';
import { defineEvent } from '../define-event';
import { facts, identifier, isoTime, nonEmpty, version } from '../common';
import { agentStateFields } from './agent-state';

export const agentRegisteredEvent = defineEvent({
  name: 'agent.registered',
  version: 1,
  description: 'An agent connected and announced its facts.',
  producer: 'agent',
  schema: z.object({
    nodeId: identifier,
    facts,
    agentVersion: nonEmpty,
    currentVersion: version.nullable(),
    startedAt: isoTime,
    /** True when sent again after the connection to the broker came back (not a restart). */
    reconnected: z.boolean().optional(),
    ...agentStateFields,
  }),
});
