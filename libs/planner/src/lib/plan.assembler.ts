import type { RolloutStrategy, StepTimings } from './rollout-input.types';
import type { BatchSizeLimit, PlannedBatch, ResolvedStrategy, RolloutPlan } from './rollout-plan.types';
import type { LaidOutBatch } from './batch-layout.builder';
import { estimateBatch } from './duration.estimator';

export interface PlanParts {
  readonly requestedStrategy: RolloutStrategy;
  readonly strategy: ResolvedStrategy;
  readonly targetIds: readonly string[];
  readonly excludedIds: ReadonlySet<string>;
  /** Batches already done, kept as they were. */
  readonly completedBatches: readonly PlannedBatch[];
  readonly newBatches: readonly LaidOutBatch[];
  readonly effectiveBatchSize: number;
  readonly batchSizeLimitedBy: BatchSizeLimit;
  readonly timings: StepTimings;
}

/** Adds duration estimates to the new batches and puts the plan together. */
export function assemblePlan(parts: PlanParts): RolloutPlan {
  const completedSeconds = parts.completedBatches.reduce(
    (sum, batch) => sum + batch.estimate.totalSeconds,
    0,
  );
  let startsAtSeconds = completedSeconds;
  const estimated: PlannedBatch[] = parts.newBatches.map((batch) => {
    const estimate = estimateBatch(batch.kind, parts.timings, startsAtSeconds);
    startsAtSeconds += estimate.totalSeconds;
    return { ...batch, estimate };
  });
  return {
    requestedStrategy: parts.requestedStrategy,
    strategy: parts.strategy,
    effectiveBatchSize: parts.effectiveBatchSize,
    batchSizeLimitedBy: parts.batchSizeLimitedBy,
    targetIds: parts.targetIds,
    excludedIds: parts.targetIds.filter((id) => parts.excludedIds.has(id)),
    completedBatchCount: parts.completedBatches.length,
    batches: [...parts.completedBatches, ...estimated],
    timings: parts.timings,
    estimatedSeconds: startsAtSeconds,
    remainingSeconds: startsAtSeconds - completedSeconds,
  };
}
