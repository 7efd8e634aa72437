import type { AppHookName, AppSpec, EventInput, EventType } from '@conveyor/contracts';
import { hookEnv } from '../hooks/hook-env.builder';
import { hookProcessEnv } from '../hooks/hook-process-env';
import { hookFailure, runHook, type HookResult } from '../hooks/hook-process.runner';
import type { ArtifactCredentials } from '../config/artifact-credentials';
import type { StepJournal } from '../journal/step-journal.store';
import type { AgentLayout } from '../releases/agent-layout';
import type { ReleaseHistoryStore } from '../releases/release-history.store';

/** Publishes an event about this agent's work; never throws (a lost report is logged). */
export type EmitEvent = <T extends EventType>(
  type: T,
  data: EventInput[T],
  options?: { subject?: string },
) => Promise<void>;

/** What the agent allows a step on this host: hook environment, download and unpack limits. */
export interface HostPolicy {
  /** Extra variables hooks get from the agent's environment (AGENT_HOOK_PASSTHROUGH_ENV). */
  hookPassthroughEnv: readonly string[];
  /**
   * Hooks (and the app they start) run as this user and group instead of the agent's
   * (AGENT_HOOK_UID / AGENT_HOOK_GID; the agent runs as root): they cannot read the agent's
   * secret files, its /proc/<pid>/environ, or signal it.
   */
  hookRunAs?: { uid: number; gid: number };
  /** SIGTERM → SIGKILL grace of a hook's process group at its timeout. */
  hookKillGraceMs: number;
  /** A download taking longer than this in total is abandoned (AGENT_DOWNLOAD_DEADLINE_SECONDS). */
  downloadDeadlineMs: number;
  /** A download sending nothing for this long is abandoned. */
  downloadIdleTimeoutMs: number;
  /** Caps on what one artifact may unpack to (AGENT_MAX_EXTRACT_BYTES / _ENTRIES). */
  maxExtractBytes: number;
  maxExtractEntries: number;
  /** Headers per URL prefix, from ARTIFACT_CREDENTIALS_FILE (never from a command). */
  artifactCredentials: ArtifactCredentials;
}

/** What every step needs: where things are, who it is, where to record and report. */
export interface StepContext {
  layout: AgentLayout;
  nodeId: string;
  serverPort: number;
  keepReleases: number;
  journal: StepJournal;
  history: ReleaseHistoryStore;
  emit: EmitEvent;
  host: HostPolicy;
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
  const result = await runHook(declared, env, {
    timeoutSeconds: timeout,
    processEnv: hookProcessEnv(process.env, env, context.host.hookPassthroughEnv),
    killGraceMs: context.host.hookKillGraceMs,
    ...(context.host.hookRunAs === undefined ? {} : { runAs: context.host.hookRunAs }),
  });
  const failure = hookFailure(result, timeout);
  if (failure !== undefined) throw failure;
  return result;
}
