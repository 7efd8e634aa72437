import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { CountOrPercent, EnvironmentSpec, FrozenApprovalPolicy } from '@conveyor/contracts';
import type { Quantity, StepTimings } from './rollout-input.types';
import type { PlannedBatch } from './rollout-plan.types';
import { planRollout } from './rollout.planner';

export type PlanTargets =
  | { source: 'listed'; servers: string[]; addresses: Record<string, string> }
  | { source: 'facts'; facts: Record<string, string>; note: string };

export type PlanRollout =
  | {
      ok: true;
      batches: readonly PlannedBatch[];
      effectiveBatchSize: number;
      batchSizeLimitedBy: string;
      floor: number;
      estimatedSeconds: number;
    }
  | { ok: false; code: string; reason: string; field: string | null }
  | { ok: null; reason: string };

/**
 * The dry-run plan approvers review: everything of the environment's section that the rollout
 * uses (pool, servers and their addresses or the facts that select them, strategy, verification,
 * migration) and the artifact's sha256. `hashPromotionPlan` binds it to the frozen approval policy.
 */
export interface PromotionPlan {
  service: string;
  environment: string;
  version: string;
  artifactSha256: string;
  pool: string;
  targets: PlanTargets;
  strategy: EnvironmentSpec['strategy'];
  timings: StepTimings;
  verification: EnvironmentSpec['verification'];
  migration: EnvironmentSpec['migration'] | null;
  rollout: PlanRollout;
}

export const DISCOVERED_AT_RUN_TIME =
  'servers are selected by agent facts and discovered by the orchestrator when the rollout starts; batches and capacity are computed then, with this strategy';

export interface PromotionPlanInput {
  service: string;
  environment: string;
  version: string;
  artifactSha256: string;
  /** The environment's section of the manifest. */
  spec: EnvironmentSpec;
}

/**
 * Builds the dry-run plan of rolling `version` out with an environment's section of the manifest.
 * Pure. Listed servers are assumed healthy. Estimates are upper bounds from the manifest's
 * timeouts (drain timeout, step timeout, verification timeout, 5 s to enable). The pipeline shows
 * it to approvers; the orchestrator rebuilds it from `deployment.requested` to check the proof.
 */
export function buildPromotionPlan(input: PromotionPlanInput): PromotionPlan {
  const { service, environment, version, artifactSha256, spec } = input;
  const timings: StepTimings = {
    drainSeconds: spec.strategy.drainTimeoutSeconds,
    deploySeconds: spec.strategy.stepTimeoutSeconds,
    verifySeconds: spec.verification.timeoutSeconds,
    enableSeconds: 5,
  };
  const base = {
    service,
    environment,
    version,
    artifactSha256,
    pool: spec.pool,
    strategy: spec.strategy,
    timings,
    verification: spec.verification,
    migration: spec.migration ?? null,
  };
  const servers = spec.servers ?? [];
  if (servers.length === 0) {
    const facts = spec.select?.facts ?? {};
    return {
      ...base,
      targets: { source: 'facts', facts, note: DISCOVERED_AT_RUN_TIME },
      rollout: { ok: null, reason: DISCOVERED_AT_RUN_TIME },
    };
  }
  const result = planRollout({
    strategy: {
      batchSize: toQuantity(spec.strategy.batchSize),
      canary:
        spec.strategy.canary === undefined || spec.strategy.canary === null
          ? null
          : toQuantity(spec.strategy.canary),
      ...(spec.strategy.maxUnavailable === undefined
        ? {}
        : { maxUnavailable: toQuantity(spec.strategy.maxUnavailable) }),
      minHealthy: toQuantity(spec.strategy.minHealthy),
    },
    targets: servers.map((server) => ({ id: server.id, healthy: true })),
    timings,
  });
  const addresses = Object.fromEntries(
    servers.flatMap((s) => (s.address === undefined ? [] : [[s.id, s.address] as const])),
  );
  const targets: PlanTargets = { source: 'listed', servers: servers.map((s) => s.id), addresses };
  if (!result.ok) {
    return {
      ...base,
      targets,
      rollout: { ok: false, code: result.code, reason: result.reason, field: result.field ?? null },
    };
  }
  const { plan } = result;
  return {
    ...base,
    targets,
    rollout: {
      ok: true,
      batches: plan.batches,
      effectiveBatchSize: plan.effectiveBatchSize,
      batchSizeLimitedBy: plan.batchSizeLimitedBy,
      floor: plan.strategy.floor,
      estimatedSeconds: plan.estimatedSeconds,
    },
  };
}

/**
 * The plan hash approvals are bound to: sha256 (hex) of the canonical JSON (RFC 8785) of
 * `{ plan, policy }`, so neither the plan nor the frozen approval rule can change under an approval.
 * The one function both the pipeline (when it shows and requests) and the orchestrator (when it
 * checks the proof) call.
 */
export function hashPromotionPlan(plan: PromotionPlan, policy: FrozenApprovalPolicy): string {
  return createHash('sha256')
    .update(canonicalize({ plan, policy }) ?? '', 'utf8')
    .digest('hex');
}

function toQuantity(value: CountOrPercent): Quantity {
  if (typeof value === 'number') return value;
  const percent: `${number}%` = `${Number(value.slice(0, -1))}%`;
  return percent;
}
