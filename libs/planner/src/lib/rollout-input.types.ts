/**
 * Inputs of the rollout planner. The manifest schema in libs/contracts is meant to be
 * structurally compatible with `RolloutStrategy`.
 */

/** A count of servers, or a percentage of the target fleet size (e.g. `"25%"`, `"12.5%"`). */
export type Quantity = number | `${number}%`;

export interface RolloutStrategy {
  /** Servers per regular batch; a percentage rounds up and is at least 1. */
  readonly batchSize: Quantity;
  /** Size of a first canary batch; `null`, `undefined`, `0` or `"0%"` mean no canary. */
  readonly canary?: Quantity | null;
  /** Most online servers the rollout takes out of the pool at once; defaults to `batchSize`. */
  readonly maxUnavailable?: Quantity;
  /** Floor of UP servers in the online pool; a percentage of the fleet size, rounded up. */
  readonly minHealthy: Quantity;
}

/** A live server of the fleet. `healthy: false` means it is already out of the online pool. */
export interface TargetServer {
  readonly id: string;
  readonly healthy: boolean;
}

/** Estimated seconds per step of one batch (servers of a batch run in parallel). */
export interface StepTimings {
  readonly drainSeconds: number;
  readonly deploySeconds: number;
  readonly verifySeconds: number;
  readonly enableSeconds: number;
}

export interface PlanRolloutInput {
  readonly strategy: RolloutStrategy;
  /** The fleet, in the order servers should be deployed. */
  readonly targets: readonly TargetServer[];
  readonly timings: StepTimings;
  /** Ids of targets not to deploy; a healthy excluded server keeps serving. */
  readonly exclude?: readonly string[];
}
