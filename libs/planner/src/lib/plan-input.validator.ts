import type { StepTimings, TargetServer } from './rollout-input.types';
import { refuse, type PlanRefusal } from './rollout-plan.types';

/** Every id is a non-empty string and appears once. */
export function validateTargets(targets: readonly TargetServer[], field: string): PlanRefusal | null {
  const seen = new Set<string>();
  for (const [position, target] of targets.entries()) {
    if (typeof target.id !== 'string' || target.id.trim() === '') {
      return refuse(
        'invalid_targets',
        `${field}[${position}].id must be a non-empty string`,
        `${field}[${position}].id`,
      );
    }
    if (typeof target.healthy !== 'boolean') {
      return refuse(
        'invalid_targets',
        `${field}[${position}].healthy must be true or false (server "${target.id}")`,
        `${field}[${position}].healthy`,
      );
    }
    if (seen.has(target.id)) {
      return refuse('invalid_targets', `${field} lists server "${target.id}" more than once`, field);
    }
    seen.add(target.id);
  }
  return null;
}

/** Every excluded id names a known target, so a typo cannot deploy a server meant to be left alone. */
export function validateExclude(
  exclude: readonly string[],
  knownIds: ReadonlySet<string>,
  field: string,
): PlanRefusal | null {
  const unknown = exclude.find((id) => !knownIds.has(id));
  return unknown === undefined
    ? null
    : refuse(
        'invalid_exclude',
        `${field} names server "${unknown}", which is not a target of this rollout`,
        field,
      );
}

const TIMING_FIELDS = ['drainSeconds', 'deploySeconds', 'verifySeconds', 'enableSeconds'] as const;

export function validateTimings(timings: StepTimings): PlanRefusal | null {
  for (const name of TIMING_FIELDS) {
    const value: unknown = timings[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return refuse(
        'invalid_timings',
        `timings.${name} must be a finite number of seconds of at least 0, got ${String(value)}`,
        `timings.${name}`,
      );
    }
  }
  return null;
}
