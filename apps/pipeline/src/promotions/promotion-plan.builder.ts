import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { CountOrPercent, EnvironmentSpec } from '@conveyor/contracts';
import { planRollout, type PlannedBatch, type Quantity, type StepTimings } from '@conveyor/planner';

export type PlanTargets =
  | { source: 'listed'; servers: string[] }
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

/** The dry-run plan approvers review. Its canonical JSON's sha256 is what approvals are bound to. */
export interface PromotionPlan {
  service: string;
  environment: string;
  version: string;
  targets: PlanTargets;
  strategy: EnvironmentSpec['strategy'];
  timings: StepTimings;
  verification: EnvironmentSpec['verification'];
  migration: EnvironmentSpec['migration'] | null;
  rollout: PlanRollout;
}

export const DISCOVERED_AT_RUN_TIME =
  'servers are selected by agent facts and discovered by the orchestrator when the rollout starts; batches and capacity are computed then, with this strategy';

/**
 * Builds the dry-run plan of rolling `version` out with an environment's section of the manifest.
 * Pure. Listed servers are assumed healthy. Estimates are upper bounds from the manifest's
 * timeouts (drain timeout, step timeout, verification timeout, 5 s to enable).
 */
export function buildPromotionPlan(
  service: string,
  environment: string,
  version: string,
  spec: EnvironmentSpec,
): PromotionPlan {
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
  const targets: PlanTargets = { source: 'listed', servers: servers.map((s) => s.id) };
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

/** sha256 (hex) of the plan's canonical JSON (RFC 8785). */
export function hashPlan(plan: PromotionPlan): string {
  return createHash('sha256')
    .update(canonicalize(plan) ?? '', 'utf8')
    .digest('hex');
}

function toQuantity(value: CountOrPercent): Quantity {
  if (typeof value === 'number') return value;
  const percent: `${number}%` = `${Number(value.slice(0, -1))}%`;
  return percent;
}
