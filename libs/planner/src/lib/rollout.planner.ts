import type { PlanRolloutInput } from './rollout-input.types';
import { refuse, type PlanResult } from './rollout-plan.types';
import { validateExclude, validateTargets, validateTimings } from './plan-input.validator';
import { describeFloor, resolveStrategy } from './strategy.resolver';
import { layOutBatches } from './batch-layout.builder';
import { assemblePlan } from './plan.assembler';

/**
 * Plans a rolling deployment: pure, deterministic (batches follow the order of `targets`).
 *
 * Healthy targets go into an optional canary batch, then regular batches whose size is
 * clamped so the online pool never drops below minHealthy nor loses more than
 * maxUnavailable servers at once. Unhealthy targets (already out of the pool) are deployed
 * in one final `unhealthy` batch. Excluded targets are not deployed.
 */
export function planRollout(input: PlanRolloutInput): PlanResult {
  const { targets, strategy, timings } = input;
  const exclude = input.exclude ?? [];

  const badTargets = validateTargets(targets, 'targets');
  if (badTargets) return badTargets;
  if (targets.length === 0) {
    return refuse('empty_fleet', 'targets is empty: there is no server to deploy', 'targets');
  }
  const targetIds = targets.map((target) => target.id);
  const badExclude = validateExclude(exclude, new Set(targetIds), 'exclude');
  if (badExclude) return badExclude;
  const excluded = new Set(exclude);
  if (excluded.size === targets.length) {
    return refuse(
      'empty_fleet',
      `all ${targets.length} targets are excluded: there is no server to deploy`,
      'exclude',
    );
  }

  const resolved = resolveStrategy(strategy, targets.length);
  if (!resolved.ok) return resolved;
  const badTimings = validateTimings(timings);
  if (badTimings) return badTimings;

  const toDeploy = targets.filter((target) => !excluded.has(target.id));
  const layout = layOutBatches({
    healthyIds: toDeploy.filter((target) => target.healthy).map((target) => target.id),
    unhealthyIds: toDeploy.filter((target) => !target.healthy).map((target) => target.id),
    onlineCount: targets.filter((target) => target.healthy).length,
    strategy: resolved.strategy,
    floorLabel: describeFloor(strategy.minHealthy, resolved.strategy.floor),
    withCanary: true,
    firstIndex: 0,
  });
  if (!layout.ok) return layout;

  return {
    ok: true,
    plan: assemblePlan({
      requestedStrategy: strategy,
      strategy: resolved.strategy,
      targetIds,
      excludedIds: excluded,
      completedBatches: [],
      newBatches: layout.batches,
      effectiveBatchSize: layout.effectiveBatchSize,
      batchSizeLimitedBy: layout.limitedBy,
      timings,
    }),
  };
}
