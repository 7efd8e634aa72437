import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid } from '../common';

/**
 * The orchestrator asks one agent what it really runs (its current release and its recent step
 * journal), e.g. when a step's outcome is unknown after a lost reply or an agent restart. Read-only:
 * the agent changes nothing and answers `agent.state.reported` with the same `requestId`. Every agent
 * may receive it; only the agent whose node id is `nodeId` answers.
 */
export const agentStateRequestedEvent = defineEvent({
  name: 'agent.state.requested',
  version: 1,
  description: 'The orchestrator asks one agent for its current release and recent step journal.',
  producer: 'orchestrator',
  schema: z.object({
    nodeId: identifier,
    requestId: uuid,
    /** The deployment that asks, for the logs; the agent does not need it. */
    deploymentId: uuid.optional(),
  }),
});
