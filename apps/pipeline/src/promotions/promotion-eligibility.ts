export interface EligibilityInput {
  service: string;
  version: string;
  target: string;
  /** The service's environments in promotion order. */
  order: readonly string[];
  /** The published artifact's sha256, or null when none is published. */
  artifactSha256: string | null;
  /** Stages of the artifact's run that failed. */
  failedStages: readonly string[];
  /** Environments where a deployment of this very artifact (same sha256) reached deployment.succeeded. */
  succeededIn: ReadonlySet<string>;
}

export type EligibilityRefusal =
  | 'unknown_environment'
  | 'no_artifact'
  | 'build_failed'
  | 'previous_not_succeeded';
export type Eligibility =
  | { ok: true; fromEnvironment: string | null }
  | { ok: false; code: EligibilityRefusal; reason: string };

/**
 * May this version be promoted to `target`? Pure. The first environment needs a published
 * artifact whose build has no failed stage; every other one needs a deployment of the same
 * artifact (same sha256, not only the same version) that succeeded in the environment before it.
 */
export function checkPromotionEligibility(input: EligibilityInput): Eligibility {
  const { service, version, target, order } = input;
  const index = order.indexOf(target);
  if (index < 0) {
    return {
      ok: false,
      code: 'unknown_environment',
      reason: `${service} has no environment "${target}"; its environments are ${order.join(' → ')}`,
    };
  }
  if (input.artifactSha256 === null) {
    return {
      ok: false,
      code: 'no_artifact',
      reason: `no artifact of ${service} ${version} was published; publish it from its pipeline run first`,
    };
  }
  if (input.failedStages.length > 0) {
    return {
      ok: false,
      code: 'build_failed',
      reason: `the build of ${service} ${version} failed (stages: ${input.failedStages.join(', ')})`,
    };
  }
  const previous = order[index - 1];
  if (previous === undefined) return { ok: true, fromEnvironment: null };
  if (!input.succeededIn.has(previous)) {
    return {
      ok: false,
      code: 'previous_not_succeeded',
      reason: `${service} ${version} (artifact sha256 ${input.artifactSha256}) has not succeeded in ${previous}, the environment before ${target} (${order.join(' → ')}); promote it to ${previous} first`,
    };
  }
  return { ok: true, fromEnvironment: previous };
}
