import { AGENT_RECENT_STEPS_MAX, version, type AgentStateReported } from '@conveyor/contracts';
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

/**
 * The answer to `agent.state.requested`: the release serving now, the one before it (what the
 * step that installed the current release replaced; null when no journalled step says), and the
 * journal, newest last.
 */
export function stateReport(
  state: AgentStateReport,
): Pick<AgentStateReported, 'currentVersion' | 'previousVersion' | 'recentSteps'> {
  const installedCurrent = state.recentSteps.find(
    (step) => step.outcome === 'succeeded' && step.version === state.currentVersion,
  );
  // Release names found on disk are loosely checked; the report carries only well-formed versions.
  const asVersion = (name: string | null | undefined) =>
    name != null && version.safeParse(name).success ? name : null;
  return {
    currentVersion: asVersion(state.currentVersion),
    previousVersion: asVersion(installedCurrent?.previousVersion),
    recentSteps: [...state.recentSteps]
      .reverse()
      .map((step) => ({ stepId: step.stepId, kind: step.kind, outcome: step.outcome })),
  };
}
