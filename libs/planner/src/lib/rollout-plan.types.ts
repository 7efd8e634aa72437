import type { RolloutStrategy, StepTimings } from './rollout-input.types';

/**
 * `canary`: the first, smaller batch; `regular`: the batches after it;
 * `unhealthy`: the final batch of servers that were already out of the online pool.
 */
export type BatchKind = 'canary' | 'regular' | 'unhealthy';

/** Capacity of the online pool while a batch is out of it. */
export interface BatchCapacity {
  /** UP servers in the online pool when the batch starts. */
  readonly onlineBefore: number;
  /** Online servers this batch takes out of the pool (0 for an `unhealthy` batch). */
  readonly takenOut: number;
  /** UP servers left in the online pool while the batch is out. */
  readonly onlineDuring: number;
  /** The minHealthy floor, in servers. */
  readonly floor: number;
  /** `onlineDuring - floor`: how many more servers could fail before the floor is hit. */
  readonly headroom: number;
  readonly maxUnavailable: number;
}

export interface BatchEstimate {
  readonly drainSeconds: number;
  readonly deploySeconds: number;
  readonly verifySeconds: number;
  readonly enableSeconds: number;
  readonly totalSeconds: number;
  /** Seconds from the start of the rollout until this batch starts. */
  readonly startsAtSeconds: number;
}

export interface PlannedBatch {
  readonly index: number;
  readonly kind: BatchKind;
  readonly serverIds: readonly string[];
  readonly capacity: BatchCapacity;
  readonly estimate: BatchEstimate;
}

/** The strategy with every quantity resolved to a number of servers. */
export interface ResolvedStrategy {
  /** Number of targets (excluded and unhealthy included): the base of every percentage. */
  readonly fleetSize: number;
  readonly batchSize: number;
  /** 0 means no canary batch. */
  readonly canarySize: number;
  readonly maxUnavailable: number;
  /** minHealthy in servers. */
  readonly floor: number;
}

/** What made the effective batch size smaller than requested, if anything. */
export type BatchSizeLimit = 'batchSize' | 'maxUnavailable' | 'minHealthy';

export interface RolloutPlan {
  readonly requestedStrategy: RolloutStrategy;
  readonly strategy: ResolvedStrategy;
  /** Size of regular batches after clamping to maxUnavailable and the floor. */
  readonly effectiveBatchSize: number;
  readonly batchSizeLimitedBy: BatchSizeLimit;
  /** Every target id, in fleet order. */
  readonly targetIds: readonly string[];
  /** Targets that are not deployed. */
  readonly excludedIds: readonly string[];
  /** The first `completedBatchCount` batches are done (set by `replanRemaining`). */
  readonly completedBatchCount: number;
  readonly batches: readonly PlannedBatch[];
  readonly timings: StepTimings;
  /** Estimated seconds for all batches, completed ones included. */
  readonly estimatedSeconds: number;
  /** Estimated seconds for the batches not completed yet. */
  readonly remainingSeconds: number;
}

export type PlanRefusalCode =
  | 'empty_fleet'
  | 'invalid_strategy'
  | 'invalid_targets'
  | 'invalid_exclude'
  | 'invalid_timings'
  | 'invalid_progress'
  | 'floor_unreachable';

export interface PlanRefusal {
  readonly ok: false;
  readonly code: PlanRefusalCode;
  /** Human-readable; names the field and the numbers. */
  readonly reason: string;
  /** The input field at fault, when there is one (e.g. `strategy.batchSize`). */
  readonly field?: string;
}

export type PlanResult = { readonly ok: true; readonly plan: RolloutPlan } | PlanRefusal;

export function refuse(code: PlanRefusalCode, reason: string, field?: string): PlanRefusal {
  return field === undefined ? { ok: false, code, reason } : { ok: false, code, reason, field };
}
