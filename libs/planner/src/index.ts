export type {
  PlanRolloutInput,
  Quantity,
  RolloutStrategy,
  StepTimings,
  TargetServer,
} from './lib/rollout-input.types';
export type {
  BatchCapacity,
  BatchEstimate,
  BatchKind,
  BatchSizeLimit,
  PlannedBatch,
  PlanRefusal,
  PlanRefusalCode,
  PlanResult,
  ResolvedStrategy,
  RolloutPlan,
} from './lib/rollout-plan.types';
export { planRollout } from './lib/rollout.planner';
export { replanRemaining } from './lib/rollout.replanner';
export {
  capacityGuard,
  type CapacityDecision,
  type CapacityRefusalCode,
  type CapacityRequest,
  type CapacityState,
} from './lib/capacity.guard';
export {
  buildPromotionPlan,
  hashPromotionPlan,
  DISCOVERED_AT_RUN_TIME,
  type PlanRollout,
  type PlanTargets,
  type PromotionPlan,
  type PromotionPlanInput,
} from './lib/promotion-plan.builder';
