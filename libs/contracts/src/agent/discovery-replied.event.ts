import { z } from 'zod';
import { defineEvent } from '../define-event';
import { facts, identifier, uuid, version } from '../common';
import { agentStateFields } from './agent-state';

export const agentDiscoveryRepliedEvent = defineEvent({
  name: 'agent.discovery.replied',
  version: 1,
  description: 'An agent matched a discovery request.',
  producer: 'agent',
  schema: z.object({
    requestId: uuid,
    nodeId: identifier,
    facts,
    currentVersion: version.nullable(),
    ...agentStateFields,
  }),
});
