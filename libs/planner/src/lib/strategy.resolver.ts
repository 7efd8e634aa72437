import type { RolloutStrategy } from './rollout-input.types';
import { refuse, type PlanRefusal, type ResolvedStrategy } from './rollout-plan.types';
import { resolveQuantity } from './quantity.parser';

export type StrategyResult = { readonly ok: true; readonly strategy: ResolvedStrategy } | PlanRefusal;

/** Resolves every quantity of `strategy` against the fleet size, or says which field is wrong. */
export function resolveStrategy(strategy: RolloutStrategy, fleetSize: number): StrategyResult {
  const batch = resolveQuantity(strategy.batchSize, 'strategy.batchSize', fleetSize, { allowZero: false });
  if (!batch.ok) return refuse('invalid_strategy', batch.reason, 'strategy.batchSize');

  let canarySize = 0;
  if (strategy.canary !== undefined && strategy.canary !== null) {
    const canary = resolveQuantity(strategy.canary, 'strategy.canary', fleetSize, { allowZero: true });
    if (!canary.ok) return refuse('invalid_strategy', canary.reason, 'strategy.canary');
    canarySize = canary.servers;
  }

  let maxUnavailable = batch.servers;
  if (strategy.maxUnavailable !== undefined) {
    const resolved = resolveQuantity(strategy.maxUnavailable, 'strategy.maxUnavailable', fleetSize, {
      allowZero: false,
    });
    if (!resolved.ok) return refuse('invalid_strategy', resolved.reason, 'strategy.maxUnavailable');
    maxUnavailable = resolved.servers;
  }

  const floor = resolveQuantity(strategy.minHealthy, 'strategy.minHealthy', fleetSize, { allowZero: true });
  if (!floor.ok) return refuse('invalid_strategy', floor.reason, 'strategy.minHealthy');
  if (floor.servers > fleetSize) {
    return refuse(
      'invalid_strategy',
      `strategy.minHealthy ${floor.servers} is more than the ${fleetSize} servers of the fleet`,
      'strategy.minHealthy',
    );
  }

  return {
    ok: true,
    strategy: { fleetSize, batchSize: batch.servers, canarySize, maxUnavailable, floor: floor.servers },
  };
}

/** "2", or "50% (3 servers)" when minHealthy was a percentage. */
export function describeFloor(minHealthy: RolloutStrategy['minHealthy'], floor: number): string {
  return typeof minHealthy === 'string' ? `${minHealthy} (${floor} servers)` : `${floor}`;
}
