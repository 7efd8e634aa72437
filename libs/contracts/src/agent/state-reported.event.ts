import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, uuid, version } from '../common';

/** One entry of an agent's step journal, as reported: what the agent knows it did for a step id. */
export const reportedAgentStep = z.object({
  stepId: z.string().min(1).max(200),
  kind: z.enum(['deploy', 'rollback', 'migrate']),
  /** `started`: running now; `interrupted`: journalled as started but nothing runs it (agent restarted). */
  outcome: z.enum(['started', 'succeeded', 'failed', 'interrupted']),
});
export type ReportedAgentStep = z.infer<typeof reportedAgentStep>;

/**
 * An agent's answer to `agent.state.requested`: the release it serves now (`currentVersion`, null
 * when none), the release before it (`previousVersion`, null when none is kept), and its recent step
 * journal (newest last, at most 50 entries).
 */
export const agentStateReportedEvent = defineEvent({
  name: 'agent.state.reported',
  version: 1,
  description: "An agent's current release, previous release and recent step journal.",
  producer: 'agent',
  schema: z.object({
    nodeId: identifier,
    requestId: uuid,
    currentVersion: version.nullable(),
    previousVersion: version.nullable(),
    recentSteps: z.array(reportedAgentStep).max(50),
  }),
});
export type AgentStateReported = z.infer<typeof agentStateReportedEvent.schema>;
