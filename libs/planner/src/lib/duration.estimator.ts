import type { StepTimings } from './rollout-input.types';
import type { BatchEstimate, BatchKind } from './rollout-plan.types';

/**
 * Estimated duration of one batch: its servers run each step in parallel, so a batch takes
 * drain + deploy + verify + enable. An `unhealthy` batch is already out of the pool: no drain.
 */
export function estimateBatch(kind: BatchKind, timings: StepTimings, startsAtSeconds: number): BatchEstimate {
  const drainSeconds = kind === 'unhealthy' ? 0 : timings.drainSeconds;
  const totalSeconds = drainSeconds + timings.deploySeconds + timings.verifySeconds + timings.enableSeconds;
  return {
    drainSeconds,
    deploySeconds: timings.deploySeconds,
    verifySeconds: timings.verifySeconds,
    enableSeconds: timings.enableSeconds,
    totalSeconds,
    startsAtSeconds,
  };
}
