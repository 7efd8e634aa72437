/**
 * The run-time capacity guard: may a step take these servers out of the online pool
 * without the pool dropping below the floor? Pure; answers with the numbers behind the answer.
 * A request that takes no online server out is always allowed (it cannot lower the pool).
 */

export interface CapacityState {
  /** Ids of the servers UP in the online pool right now. */
  readonly onlineIds: readonly string[];
  /** minHealthy in servers (a plan's `strategy.floor`). */
  readonly floor: number;
}

export interface CapacityRequest {
  /** Servers the step wants out of the online pool; ones already out cost nothing. */
  readonly takeOutIds: readonly string[];
}

export type CapacityRefusalCode = 'below_floor' | 'invalid_floor';

interface CapacityFigures {
  /** Distinct servers UP in the online pool now. */
  readonly onlineNow: number;
  /** Servers that would stay UP if the request were carried out. */
  readonly wouldRemain: number;
  readonly floor: number;
  /** Requested servers that are online now: the ones the request actually takes out. */
  readonly takingOut: readonly string[];
  /** Requested servers already out of the online pool (not counted again). */
  readonly alreadyOut: readonly string[];
}

export type CapacityDecision =
  | ({ readonly allowed: true } & CapacityFigures)
  | ({
      readonly allowed: false;
      readonly code: CapacityRefusalCode;
      readonly reason: string;
    } & CapacityFigures);

function plural(count: number): string {
  return count === 1 ? 'server' : 'servers';
}

export function capacityGuard(state: CapacityState, request: CapacityRequest): CapacityDecision {
  const online = new Set(state.onlineIds);
  const requested = [...new Set(request.takeOutIds)];
  const takingOut = requested.filter((id) => online.has(id));
  const alreadyOut = requested.filter((id) => !online.has(id));
  const figures: CapacityFigures = {
    onlineNow: online.size,
    wouldRemain: online.size - takingOut.length,
    floor: state.floor,
    takingOut,
    alreadyOut,
  };

  if (!Number.isSafeInteger(state.floor) || state.floor < 0) {
    return {
      allowed: false,
      code: 'invalid_floor',
      reason: `floor must be a whole number of servers of at least 0, got ${String(state.floor)}`,
      ...figures,
    };
  }
  // Taking out nothing cannot lower the pool: allowed even when it is already below the floor,
  // so servers already out (the planner's `unhealthy` batch) can still be redeployed.
  if (takingOut.length > 0 && figures.wouldRemain < state.floor) {
    return {
      allowed: false,
      code: 'below_floor',
      reason:
        `taking out ${takingOut.length} online ${plural(takingOut.length)} would leave ${figures.wouldRemain} of ` +
        `${figures.onlineNow} online, below the floor of ${state.floor}`,
      ...figures,
    };
  }
  return { allowed: true, ...figures };
}
