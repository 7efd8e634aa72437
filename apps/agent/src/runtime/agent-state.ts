import { AGENT_RECENT_STEPS_MAX } from '@conveyor/contracts';
import { recentSteps, type JournalEntryReport } from '../journal/step-journal.rules';
import { currentVersion } from '../releases/current-link';
import { releaseDirs } from '../steps/release-restore';
import type { StepContext } from '../steps/step-context';

/** What the agent really runs, as it reports it in agent.registered, agent.heartbeat and agent.discovery.replied. */
export interface AgentStateReport {
  currentVersion: string | null;
  keptReleases: string[];
  recentSteps: JournalEntryReport[];
}

/** Reads the node's state from disk: `current`, the release dirs, the step journal. */
export async function readAgentState(context: StepContext): Promise<AgentStateReport> {
  const [current, kept, records] = await Promise.all([
    currentVersion(context.layout),
    releaseDirs(context),
    context.journal.all(),
  ]);
  return {
    currentVersion: current,
    keptReleases: kept.slice(0, 100),
    recentSteps: recentSteps(records, AGENT_RECENT_STEPS_MAX),
  };
}
