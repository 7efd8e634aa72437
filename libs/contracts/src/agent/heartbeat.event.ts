import { z } from 'zod';
import { defineEvent } from '../define-event';
import { facts, identifier, version } from '../common';
import { agentStateFields } from './agent-state';

export const agentHeartbeatEvent = defineEvent({
  name: 'agent.heartbeat',
  version: 1,
  description: 'An agent is alive; sent every few seconds.',
  producer: 'agent',
  schema: z.object({
    nodeId: identifier,
    facts,
    currentVersion: version.nullable(),
    sequence: z.number().int().min(0),
    intervalMs: z.number().int().min(100),
    ...agentStateFields,
  }),
});
