import { environmentSpecSchema, type FrozenApprovalPolicy } from '@conveyor/contracts';
import { buildPromotionPlan, hashPromotionPlan, DISCOVERED_AT_RUN_TIME } from './promotion-plan.builder';

const SHA_A = 'a'.repeat(64);
const spec = (overrides: Record<string, unknown> = {}) =>
  environmentSpecSchema.parse({
    pool: 'web',
    servers: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'].map((id) => ({ id })),
    strategy: { batchSize: 2, canary: 1, minHealthy: '50%', drainTimeoutSeconds: 30, stepTimeoutSeconds: 60 },
    verification: { timeoutSeconds: 20 },
    ...overrides,
  });
const plan = (overrides: Record<string, unknown> = {}, artifactSha256 = SHA_A) =>
  buildPromotionPlan({
    service: 'shop',
    environment: 'prod',
    version: '1.4.2',
    artifactSha256,
    spec: spec(overrides),
  });
const policy: FrozenApprovalPolicy = {
  environment: 'prod',
  manifestVersion: 1,
  required: 2,
  separationOfDuties: true,
  expiresAfterHours: 24,
  approverRoles: ['approver', 'admin'],
  environmentOrder: ['staging', 'prod'],
  previousEnvironment: 'staging',
};

describe('the dry-run plan of a promotion', () => {
  it('shows the batches, the capacity kept at each step and the estimated time', () => {
    const built = plan();
    expect(built.targets).toEqual({
      source: 'listed',
      servers: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'],
      addresses: {},
    });
    expect(built).toMatchObject({ pool: 'web', artifactSha256: SHA_A });
    if (built.rollout.ok !== true) throw new Error('expected a plan');
    expect(built.rollout.batches.map((b) => b.serverIds)).toEqual([
      ['web-1'],
      ['web-2', 'web-3'],
      ['web-4', 'web-5'],
      ['web-6'],
    ]);
    expect(built.rollout.batches.map((b) => b.capacity.onlineDuring)).toEqual([5, 4, 4, 5]);
    expect(built.rollout.floor).toBe(3);
    expect(built.rollout.estimatedSeconds).toBe(4 * (30 + 60 + 20 + 5));
  });

  it('has the same hash for the same input and another one when the strategy, servers, pool, addresses, artifact or policy change', () => {
    const hash = hashPromotionPlan(plan(), policy);
    expect(hashPromotionPlan(plan(), { ...policy })).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const changed = [
      hashPromotionPlan(
        plan({
          strategy: { batchSize: 3, minHealthy: '50%', drainTimeoutSeconds: 30, stepTimeoutSeconds: 60 },
        }),
        policy,
      ),
      hashPromotionPlan(plan({ servers: [{ id: 'web-1' }, { id: 'web-2' }] }), policy),
      hashPromotionPlan(plan({ pool: 'other' }), policy),
      hashPromotionPlan(plan({ servers: [{ id: 'web-1', address: '10.0.0.9:80' }] }), policy),
      hashPromotionPlan(plan({}, 'b'.repeat(64)), policy),
      hashPromotionPlan(plan(), { ...policy, required: 1 }),
      hashPromotionPlan(plan(), { ...policy, separationOfDuties: false }),
      hashPromotionPlan(plan(), { ...policy, approverRoles: ['approver', 'admin', 'deployer'] }),
      hashPromotionPlan(plan(), {
        ...policy,
        environmentOrder: ['prod', 'staging'],
        previousEnvironment: null,
      }),
    ];
    for (const other of changed) expect(other).not.toBe(hash);
    expect(new Set(changed).size).toBe(changed.length);
  });

  it('says targets are discovered at run time when servers are selected by facts', () => {
    const built = plan({ servers: undefined, select: { facts: { role: 'web' } } });
    expect(built.targets).toEqual({ source: 'facts', facts: { role: 'web' }, note: DISCOVERED_AT_RUN_TIME });
    expect(built.rollout).toEqual({ ok: null, reason: DISCOVERED_AT_RUN_TIME });
  });

  it('carries the planner refusal when the floor leaves no room', () => {
    expect(plan({ strategy: { batchSize: 1, minHealthy: 6 } }).rollout).toMatchObject({
      ok: false,
      code: 'floor_unreachable',
    });
  });
});
