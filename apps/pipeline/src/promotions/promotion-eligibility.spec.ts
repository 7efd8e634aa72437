import { checkPromotionEligibility, type EligibilityInput } from './promotion-eligibility';

const base: EligibilityInput = {
  service: 'shop',
  version: '1.4.2',
  target: 'dev',
  order: ['dev', 'qa', 'staging', 'prod'],
  artifactSha256: 'a'.repeat(64),
  failedStages: [],
  succeededIn: new Set(),
};

describe('whether a version may be promoted', () => {
  it('allows the first environment with a published artifact of a build that did not fail', () => {
    expect(checkPromotionEligibility(base)).toEqual({ ok: true, fromEnvironment: null });
  });

  it('refuses without an artifact, or when a stage of the build failed', () => {
    expect(checkPromotionEligibility({ ...base, artifactSha256: null })).toMatchObject({
      ok: false,
      code: 'no_artifact',
    });
    expect(checkPromotionEligibility({ ...base, failedStages: ['test'] })).toEqual({
      ok: false,
      code: 'build_failed',
      reason: 'the build of shop 1.4.2 failed (stages: test)',
    });
  });

  it('refuses prod until the version succeeded in staging, saying so', () => {
    const result = checkPromotionEligibility({
      ...base,
      target: 'prod',
      succeededIn: new Set(['dev', 'qa']),
    });
    expect(result).toEqual({
      ok: false,
      code: 'previous_not_succeeded',
      reason: `shop 1.4.2 (artifact sha256 ${'a'.repeat(64)}) has not succeeded in staging, the environment before prod (dev → qa → staging → prod); promote it to staging first`,
    });
    expect(checkPromotionEligibility({ ...base, target: 'prod', succeededIn: new Set(['staging']) })).toEqual(
      {
        ok: true,
        fromEnvironment: 'staging',
      },
    );
  });

  it('refuses an environment the service does not have, listing the ones it has', () => {
    expect(checkPromotionEligibility({ ...base, target: 'preprod' })).toEqual({
      ok: false,
      code: 'unknown_environment',
      reason: 'shop has no environment "preprod"; its environments are dev → qa → staging → prod',
    });
  });
});
