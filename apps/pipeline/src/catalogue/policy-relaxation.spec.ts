import { serviceManifestSchema, type ServiceManifest } from '@conveyor/contracts';
import { findPolicyRelaxations } from './policy-relaxation';

const env = (pool: string, servers: string[], approvals: Record<string, unknown> = {}) => ({
  pool,
  servers: servers.map((id) => ({ id })),
  strategy: { batchSize: 1, minHealthy: 0 },
  approvals,
});
const manifest = (environments: Record<string, unknown>): ServiceManifest =>
  serviceManifestSchema.parse({ service: 'shop', environments });
const current = manifest({
  dev: env('shop-dev', ['dev-1']),
  staging: env('shop-staging', ['stg-1']),
  prod: env('shop-prod', ['web-1', 'web-2'], {
    required: 2,
    separationOfDuties: true,
    expiresAfterHours: 24,
  }),
});
const prodWith = (approvals: Record<string, unknown>) =>
  manifest({
    dev: env('shop-dev', ['dev-1']),
    staging: env('shop-staging', ['stg-1']),
    prod: env('shop-prod', ['web-1', 'web-2'], approvals),
  });

describe('what relaxes the approval policy', () => {
  it('finds nothing in the same manifest, a stricter rule, a new environment or a changed strategy', () => {
    expect(findPolicyRelaxations(current, current)).toEqual([]);
    expect(findPolicyRelaxations(current, prodWith({ required: 3, expiresAfterHours: 8 }))).toEqual([]);
    const added = manifest({
      dev: env('shop-dev', ['dev-1']),
      qa: env('shop-qa', ['qa-1']),
      staging: env('shop-staging', ['stg-1']),
      prod: env('shop-prod', ['web-1', 'web-2'], { required: 2 }),
    });
    expect(findPolicyRelaxations(current, added)).toEqual([]);
  });

  it('names fewer approvals, separation of duties turned off and longer-lived approvals', () => {
    expect(
      findPolicyRelaxations(
        current,
        prodWith({ required: 0, separationOfDuties: false, expiresAfterHours: 720 }),
      ),
    ).toEqual([
      'lowered prod approvals.required from 2 to 0',
      'turned separation of duties off in prod',
      'raised prod approvals.expiresAfterHours from 24 to 720',
    ]);
  });

  it('names a removed environment and a new order', () => {
    const reordered = manifest({
      prod: env('shop-prod', ['web-1', 'web-2'], { required: 2 }),
      dev: env('shop-dev', ['dev-1']),
      staging: env('shop-staging', ['stg-1']),
    });
    expect(findPolicyRelaxations(current, reordered)).toEqual([
      'reordered environments from dev → staging → prod to prod → dev → staging',
    ]);
    const removed = manifest({
      dev: env('shop-dev', ['dev-1']),
      prod: env('shop-prod', ['web-1'], { required: 2 }),
    });
    expect(findPolicyRelaxations(current, removed)).toEqual(['removed environment staging']);
  });

  it('names a weaker environment that now reaches the pool or servers of a stricter one', () => {
    const backDoor = manifest({
      hotfix: env('shop-prod', ['web-1']),
      dev: env('shop-dev', ['dev-1']),
      staging: env('shop-staging', ['stg-1']),
      prod: env('shop-prod', ['web-1', 'web-2'], { required: 2 }),
    });
    expect(findPolicyRelaxations(current, backDoor)).toEqual([
      'hotfix now uses pool shop-prod of prod, which needs 2 approval(s)',
      'hotfix now targets server web-1 of prod, which needs 2 approval(s)',
    ]);
  });

  it('names a weaker environment whose fact selector also matches the agents of a stricter one', () => {
    const byFacts = (facts: Record<string, string>, approvals: Record<string, unknown> = {}) => ({
      pool: `pool-${Object.values(facts).join('-')}`,
      select: { facts },
      strategy: { batchSize: 1, minHealthy: 0 },
      approvals,
    });
    const before = manifest({
      staging: byFacts({ service: 'shop', environment: 'staging' }),
      prod: byFacts({ service: 'shop', environment: 'prod' }, { required: 2 }),
    });
    const after = manifest({
      any: byFacts({ service: 'shop' }),
      staging: byFacts({ service: 'shop', environment: 'staging' }),
      prod: byFacts({ service: 'shop', environment: 'prod' }, { required: 2 }),
    });
    expect(findPolicyRelaxations(before, after)).toEqual([
      "any now selects agents by facts that also match prod's, which needs 2 approval(s)",
    ]);
  });
});
