import type { RolloutPlan } from '../lib/rollout-plan.types';
import { capacityGuard } from '../lib/capacity.guard';

export interface InvariantContext {
  /** Every target id of the fleet. */
  readonly fleetIds: readonly string[];
  /** Ids UP in the online pool at the time of (re)planning. */
  readonly online: ReadonlySet<string>;
  readonly excluded: ReadonlySet<string>;
  /** Expected values, computed by the test, not read back from the plan. */
  readonly floor: number;
  readonly maxUnavailable: number;
}

/**
 * Checks a plan against the live state it was made for, recomputing every capacity number
 * from the ids; returns what is wrong (an empty list when the plan is sound).
 */
export function planViolations(plan: RolloutPlan, context: InvariantContext): string[] {
  const violations: string[] = [];
  const onlineNow = context.fleetIds.filter((id) => context.online.has(id)).length;

  plan.batches.forEach((batch, position) => {
    if (batch.index !== position) violations.push(`batch at position ${position} has index ${batch.index}`);
    if (position < plan.completedBatchCount) return;
    const label = `batch ${batch.index} (${batch.kind})`;
    if (batch.serverIds.length === 0) violations.push(`${label} is empty`);
    const takenOut = batch.serverIds.filter((id) => context.online.has(id)).length;
    const onlineDuring = onlineNow - takenOut;
    if (onlineDuring < Math.min(context.floor, onlineNow)) {
      violations.push(`${label} leaves ${onlineDuring} online, floor ${context.floor}`);
    }
    if (takenOut > context.maxUnavailable) {
      violations.push(`${label} takes out ${takenOut}, maxUnavailable ${context.maxUnavailable}`);
    }
    if (batch.kind === 'unhealthy' && takenOut !== 0)
      violations.push(`${label} takes out ${takenOut} online servers`);
    if (batch.kind !== 'unhealthy' && takenOut !== batch.serverIds.length) {
      violations.push(`${label} contains servers that are out of the pool`);
    }
    const guard = capacityGuard(
      { onlineIds: [...context.online], floor: context.floor },
      { takeOutIds: batch.serverIds },
    );
    if (!guard.allowed) violations.push(`${label} is refused by the capacity guard: ${guard.reason}`);
    const reported = batch.capacity;
    if (
      reported.takenOut !== takenOut ||
      reported.onlineDuring !== onlineDuring ||
      reported.floor !== context.floor
    ) {
      violations.push(
        `${label} reports ${JSON.stringify(reported)}, expected takenOut ${takenOut} onlineDuring ${onlineDuring}`,
      );
    }
  });

  const occurrences = new Map<string, number>();
  for (const id of plan.batches.flatMap((batch) => batch.serverIds)) {
    occurrences.set(id, (occurrences.get(id) ?? 0) + 1);
  }
  for (const id of context.fleetIds) {
    const expected = context.excluded.has(id) ? 0 : 1;
    const seen = occurrences.get(id) ?? 0;
    if (seen !== expected) violations.push(`server ${id} is in ${seen} batches, expected ${expected}`);
  }
  return violations;
}
