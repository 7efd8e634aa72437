import type { TargetServer } from './rollout-input.types';
import { refuse, type PlanRefusal, type PlanResult, type RolloutPlan } from './rollout-plan.types';
import { validateExclude, validateTargets } from './plan-input.validator';
import { describeFloor } from './strategy.resolver';
import { layOutBatches } from './batch-layout.builder';
import { assemblePlan } from './plan.assembler';

/** Completed batches must be the first k batches, and at least those already completed. */
function checkProgress(plan: RolloutPlan, completedBatchIndexes: readonly number[]): PlanRefusal | number {
  const completed = new Set(completedBatchIndexes);
  for (const index of completed) {
    if (!Number.isInteger(index) || index < 0 || index >= plan.batches.length) {
      return refuse(
        'invalid_progress',
        `completedBatchIndexes contains ${index}, but the plan has batches 0 to ${plan.batches.length - 1}`,
        'completedBatchIndexes',
      );
    }
  }
  const count = completed.size;
  for (let index = 0; index < count; index += 1) {
    if (!completed.has(index)) {
      return refuse(
        'invalid_progress',
        `completedBatchIndexes must be the first batches in order: batch ${index} is missing while ${count} are marked done`,
        'completedBatchIndexes',
      );
    }
  }
  if (count < plan.completedBatchCount) {
    return refuse(
      'invalid_progress',
      `completedBatchIndexes marks ${count} batches done, but the plan already had ${plan.completedBatchCount} done`,
      'completedBatchIndexes',
    );
  }
  return count;
}

function checkLiveHealth(
  liveHealth: readonly TargetServer[],
  knownIds: ReadonlySet<string>,
): PlanRefusal | null {
  const invalid = validateTargets(liveHealth, 'liveHealth');
  if (invalid) return invalid;
  const unknown = liveHealth.find((server) => !knownIds.has(server.id));
  return unknown === undefined
    ? null
    : refuse(
        'invalid_targets',
        `liveHealth names server "${unknown.id}", which is not a target of this plan`,
        'liveHealth',
      );
}

function checkNotDeployed(
  excludedIds: readonly string[],
  plan: RolloutPlan,
  completedCount: number,
): PlanRefusal | null {
  for (const batch of plan.batches.slice(0, completedCount)) {
    const deployed = excludedIds.find((id) => batch.serverIds.includes(id));
    if (deployed !== undefined) {
      return refuse(
        'invalid_exclude',
        `excludedIds names server "${deployed}", which was already deployed in batch ${batch.index}`,
        'excludedIds',
      );
    }
  }
  return null;
}

/**
 * Recomputes the batches not yet done after an exclude-host or a change of health, keeping
 * the floor of the original plan. Completed batches are kept unchanged; the new batches
 * follow them. A server missing from `liveHealth` is taken to be out of the online pool.
 * `excludedIds` adds to the exclusions already in the plan.
 */
export function replanRemaining(
  plan: RolloutPlan,
  completedBatchIndexes: readonly number[],
  excludedIds: readonly string[],
  liveHealth: readonly TargetServer[],
): PlanResult {
  const completedCount = checkProgress(plan, completedBatchIndexes);
  if (typeof completedCount !== 'number') return completedCount;
  const knownIds = new Set(plan.targetIds);
  const invalid =
    checkLiveHealth(liveHealth, knownIds) ??
    validateExclude(excludedIds, knownIds, 'excludedIds') ??
    checkNotDeployed(excludedIds, plan, completedCount);
  if (invalid) return invalid;

  const completedBatches = plan.batches.slice(0, completedCount);
  const deployed = new Set(completedBatches.flatMap((batch) => batch.serverIds));
  const excluded = new Set([...plan.excludedIds, ...excludedIds]);
  const online = new Set(liveHealth.filter((server) => server.healthy).map((server) => server.id));
  const remaining = plan.targetIds.filter((id) => !deployed.has(id) && !excluded.has(id));

  const layout = layOutBatches({
    healthyIds: remaining.filter((id) => online.has(id)),
    unhealthyIds: remaining.filter((id) => !online.has(id)),
    onlineCount: online.size,
    strategy: plan.strategy,
    floorLabel: describeFloor(plan.requestedStrategy.minHealthy, plan.strategy.floor),
    withCanary: completedCount === 0,
    firstIndex: completedCount,
  });
  if (!layout.ok) return layout;

  return {
    ok: true,
    plan: assemblePlan({
      requestedStrategy: plan.requestedStrategy,
      strategy: plan.strategy,
      targetIds: plan.targetIds,
      excludedIds: excluded,
      completedBatches,
      newBatches: layout.batches,
      effectiveBatchSize: layout.effectiveBatchSize,
      batchSizeLimitedBy: layout.limitedBy,
      timings: plan.timings,
    }),
  };
}
