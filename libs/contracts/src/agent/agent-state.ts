import { z } from 'zod';
import { isoTime, uuid } from '../common';

/** A release name as found on the node (journal, release dirs): loosely checked, so one odd name never silences the agent's reports. */
const releaseName = z.string().min(1).max(200);

/** Most journal entries an agent reports in one event (the most recent first). */
export const AGENT_RECENT_STEPS_MAX = 20;

/**
 * One entry of an agent's step journal as it reports it: what it did for a step, so the
 * orchestrator can ask instead of assume (after a lost reply, a restart, a broker outage).
 */
export const agentJournalEntry = z.object({
  stepId: z.string().min(1).max(200),
  deploymentId: uuid,
  kind: z.enum(['deploy', 'rollback', 'migrate']),
  /** `started` only while the step runs in this process (an interrupted one is reported `failed`). */
  outcome: z.enum(['started', 'succeeded', 'failed']),
  version: releaseName.optional(),
  /** The release that served before the step (null: none). */
  previousVersion: releaseName.nullable().optional(),
  finishedAt: isoTime.optional(),
  /** A rollback that found its target already serving: it succeeded without changing anything. */
  unchanged: z.boolean().optional(),
});
export type AgentJournalEntry = z.infer<typeof agentJournalEntry>;

/**
 * What an agent really runs, added (optional, additive) to `agent.registered`, `agent.heartbeat`
 * and `agent.discovery.replied`.
 */
export const agentStateFields = {
  /** Release directories kept on the node, rollback targets among them (sorted). */
  keptReleases: z.array(releaseName).max(100).optional(),
  /** The last step journal entries, most recent first, at most AGENT_RECENT_STEPS_MAX. */
  recentSteps: z.array(agentJournalEntry).max(AGENT_RECENT_STEPS_MAX).optional(),
};
