import type { DeploymentRejected, DeploymentRequested } from '@conveyor/contracts';
import { planRollout, type RolloutPlan } from '@conveyor/planner';
import type { Decision, DeploymentSettings, DeploymentState, TargetInfo } from './deployment-state.types';
import { nextWake } from './decide';
import { drive } from './drive';
import { Transition } from './transition';

/** What the orchestrator knows of an agent from its heartbeats. */
export interface KnownAgent {
  readonly nodeId: string;
  readonly facts: Readonly<Record<string, string>>;
  readonly currentVersion: string | null;
}

export interface StartContext {
  readonly agents: readonly KnownAgent[];
  readonly agentSilenceMs: number;
  /** See `DeploymentSettings.agentReconnectGraceMs`. */
  readonly agentReconnectGraceMs?: number;
  readonly livenessCheckMs: number;
  /** Re-sends of an unanswered agent command (absent: the default, 2). */
  readonly commandResends?: number;
}

export type StartResult =
  | { ok: true; decision: Decision; plan: RolloutPlan }
  | { ok: false; reason: DeploymentRejected['reason']; detail: string };

const ESTIMATED_TIMINGS = { drainSeconds: 10, deploySeconds: 60, verifySeconds: 30, enableSeconds: 5 };

function matches(facts: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([key, value]) => facts[key] === value);
}

/** The servers to deploy: listed in the manifest, or the agents whose facts match its selector. */
function resolveTargets(request: DeploymentRequested, context: StartContext): TargetInfo[] {
  const spec = request.environmentSpec;
  const agents = new Map(context.agents.map((a) => [a.nodeId, a]));
  const listed = spec.servers ?? [];
  const chosen =
    listed.length > 0
      ? listed.map((server) => ({ id: server.id, address: server.address }))
      : context.agents
          .filter((agent) => matches(agent.facts, spec.select?.facts ?? {}))
          .map((agent) => ({ id: agent.nodeId, address: undefined as string | undefined }))
          .sort((a, b) => a.id.localeCompare(b.id));
  return chosen.map(({ id, address }) => {
    const agent = agents.get(id);
    const resolved = address ?? agent?.facts['address'];
    return { id, ...(resolved ? { address: resolved } : {}), previousVersion: agent?.currentVersion ?? null };
  });
}

/**
 * Plans a requested deployment and takes its first steps (the migration, or the first batch's
 * drain). Refuses, with the reason, what cannot be rolled out safely.
 */
export function startDeployment(
  request: DeploymentRequested,
  context: StartContext,
  now: number,
  correlationId?: string,
): StartResult {
  const spec = request.environmentSpec;
  const { size } = request.artifact;
  if (size === undefined || size <= 0) {
    return {
      ok: false,
      reason: 'invalid_request',
      detail:
        'the artifact has no declared size: agents bound the download by it (publish the artifact with its size)',
    };
  }
  const targets = resolveTargets(request, context);
  if (targets.length === 0) {
    return {
      ok: false,
      reason: 'no_targets',
      detail: 'the manifest lists no servers and no known agent matches its selector',
    };
  }
  const noAddress = targets.filter((target) => target.address === undefined).map((target) => target.id);
  if (noAddress.length > 0) {
    return {
      ok: false,
      reason: 'invalid_request',
      detail: `no address to verify ${noAddress.join(', ')}: give one in the manifest or the agent's "address" fact`,
    };
  }
  const { strategy } = spec;
  const planned = planRollout({
    strategy: {
      batchSize: strategy.batchSize as number | `${number}%`,
      ...(strategy.canary === undefined ? {} : { canary: strategy.canary as number | `${number}%` | null }),
      ...(strategy.maxUnavailable === undefined
        ? {}
        : { maxUnavailable: strategy.maxUnavailable as number | `${number}%` }),
      minHealthy: strategy.minHealthy as number | `${number}%`,
    },
    targets: targets.map((target) => ({ id: target.id, healthy: true })),
    timings: ESTIMATED_TIMINGS,
  });
  if (!planned.ok) return { ok: false, reason: 'plan_refused', detail: `${planned.code}: ${planned.reason}` };
  const { plan } = planned;
  const settings: DeploymentSettings = {
    pool: spec.pool,
    minHealthy: plan.strategy.floor,
    maxOutOfService: Math.max(...plan.batches.map((b) => b.serverIds.length)),
    drainTimeoutMs: strategy.drainTimeoutSeconds * 1000,
    onDrainTimeout: strategy.onDrainTimeout,
    onFailure: strategy.onFailure,
    stepTimeoutMs: strategy.stepTimeoutSeconds * 1000,
    agentSilenceMs: context.agentSilenceMs,
    ...(context.agentReconnectGraceMs === undefined
      ? {}
      : { agentReconnectGraceMs: context.agentReconnectGraceMs }),
    livenessCheckMs: context.livenessCheckMs,
    ...(context.commandResends === undefined ? {} : { commandResends: context.commandResends }),
    verification: spec.verification,
    ...(spec.migration
      ? { migration: { runner: spec.migration.runner, timeoutSeconds: spec.migration.timeoutSeconds } }
      : {}),
  };
  const state: DeploymentState = {
    deploymentId: request.deploymentId,
    service: request.service,
    environment: request.environment,
    version: request.version,
    artifact: { ...request.artifact, size },
    settings,
    targets: Object.fromEntries(targets.map((target) => [target.id, target])),
    startedAt: now,
    ...(correlationId ? { correlationId } : {}),
    status: spec.migration ? 'migrating' : 'running',
    batches: plan.batches.map((b) => ({
      index: b.index,
      kind: b.kind,
      servers: [...b.serverIds],
      phase: 'pending',
      attempt: 1,
    })),
    steps: [],
    outOfService: [],
    excluded: [],
    pauseRequested: false,
    abortRequested: false,
    wakeAt: null,
  };
  const t = new Transition(state, now);
  t.emit({
    type: 'deployment.started',
    data: {
      deploymentId: state.deploymentId,
      service: state.service,
      environment: state.environment,
      version: state.version,
      plan: {
        batches: plan.batches.map((b) => ({
          index: b.index,
          kind: b.kind === 'canary' ? 'canary' : 'regular',
          servers: [...b.serverIds],
        })),
        minHealthy: plan.strategy.floor,
        totalServers: targets.length,
        estimatedSeconds: plan.estimatedSeconds,
      },
    },
  });
  drive(t);
  t.s.wakeAt = nextWake(t.s, now);
  return {
    ok: true,
    plan,
    decision: { state: t.s, events: t.events, commands: t.commands, finishedSteps: t.finishedSteps },
  };
}
