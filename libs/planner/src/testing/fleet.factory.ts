import type { StepTimings, TargetServer } from '../lib/rollout-input.types';

/** Servers s1..sN, in that order; the listed ids are unhealthy. */
export function fleetOf(size: number, unhealthyIds: readonly string[] = []): TargetServer[] {
  return Array.from({ length: size }, (_, position) => {
    const id = `s${position + 1}`;
    return { id, healthy: !unhealthyIds.includes(id) };
  });
}

export const TIMINGS: StepTimings = {
  drainSeconds: 10,
  deploySeconds: 60,
  verifySeconds: 30,
  enableSeconds: 5,
};
