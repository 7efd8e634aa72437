import type { AppHookName, AppSpec, EventInput, EventType } from '@conveyor/contracts';
import { hookEnv } from '../hooks/hook-env.builder';
import { hookFailure, runHook, type HookResult } from '../hooks/hook-process.runner';
import type { StepJournal } from '../journal/step-journal.store';
import type { AgentLayout } from '../releases/agent-layout';
import type { ReleaseHistoryStore } from '../releases/release-history.store';

/** Publishes an event about this agent's work; never throws (a lost report is logged). */
export type EmitEvent = <T extends EventType>(
  type: T,
  data: EventInput[T],
  options?: { subject?: string },
) => Promise<void>;

/** What every step needs: where things are, who it is, where to record and report. */
export interface StepContext {
  layout: AgentLayout;
  nodeId: string;
  serverPort: number;
  keepReleases: number;
  journal: StepJournal;
  history: ReleaseHistoryStore;
  emit: EmitEvent;
}

/**
 * Runs one hook of a release if its spec declares it (optional hooks may be absent); throws the
 * StepFailure of a failing or timed-out hook. Returns undefined for an absent hook.
 */
export async function runReleaseHook(
  context: StepContext,
  spec: AppSpec,
  hook: AppHookName,
  releaseDir: string,
  timeoutSeconds?: number,
): Promise<HookResult | undefined> {
  const declared = spec.hooks[hook];
  if (declared === undefined) return undefined;
  const env = hookEnv(context.layout, context, hook, spec.version, releaseDir);
  const timeout = timeoutSeconds ?? declared.timeoutSeconds;
  const result = await runHook(declared, env, timeout);
  const failure = hookFailure(result, timeout);
  if (failure !== undefined) throw failure;
  return result;
}
