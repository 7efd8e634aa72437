import { environmentSpecSchema } from '@conveyor/contracts';
import { buildPromotionPlan, hashPlan, DISCOVERED_AT_RUN_TIME } from './promotion-plan.builder';

const spec = (overrides: Record<string, unknown> = {}) =>
  environmentSpecSchema.parse({
    pool: 'web',
    servers: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'].map((id) => ({ id })),
    strategy: { batchSize: 2, canary: 1, minHealthy: '50%', drainTimeoutSeconds: 30, stepTimeoutSeconds: 60 },
    verification: { timeoutSeconds: 20 },
    ...overrides,
  });

describe('the dry-run plan of a promotion', () => {
  it('shows the batches, the capacity kept at each step and the estimated time', () => {
    const plan = buildPromotionPlan('shop', 'prod', '1.4.2', spec());
    expect(plan.targets).toEqual({
      source: 'listed',
      servers: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'],
    });
    if (plan.rollout.ok !== true) throw new Error('expected a plan');
    expect(plan.rollout.batches.map((b) => b.serverIds)).toEqual([
      ['web-1'],
      ['web-2', 'web-3'],
      ['web-4', 'web-5'],
      ['web-6'],
    ]);
    expect(plan.rollout.batches.map((b) => b.capacity.onlineDuring)).toEqual([5, 4, 4, 5]);
    expect(plan.rollout.floor).toBe(3);
    expect(plan.rollout.estimatedSeconds).toBe(4 * (30 + 60 + 20 + 5));
  });

  it('has the same hash for the same input and another one when the strategy or the servers change', () => {
    const hash = hashPlan(buildPromotionPlan('shop', 'prod', '1.4.2', spec()));
    expect(hashPlan(buildPromotionPlan('shop', 'prod', '1.4.2', spec()))).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const wider = spec({
      strategy: { batchSize: 3, minHealthy: '50%', drainTimeoutSeconds: 30, stepTimeoutSeconds: 60 },
    });
    expect(hashPlan(buildPromotionPlan('shop', 'prod', '1.4.2', wider))).not.toBe(hash);
    const fewer = spec({ servers: [{ id: 'web-1' }, { id: 'web-2' }] });
    expect(hashPlan(buildPromotionPlan('shop', 'prod', '1.4.2', fewer))).not.toBe(hash);
  });

  it('says targets are discovered at run time when servers are selected by facts', () => {
    const plan = buildPromotionPlan(
      'shop',
      'prod',
      '1.4.2',
      spec({ servers: undefined, select: { facts: { role: 'web' } } }),
    );
    expect(plan.targets).toEqual({ source: 'facts', facts: { role: 'web' }, note: DISCOVERED_AT_RUN_TIME });
    expect(plan.rollout).toEqual({ ok: null, reason: DISCOVERED_AT_RUN_TIME });
  });

  it('carries the planner refusal when the floor leaves no room', () => {
    const plan = buildPromotionPlan(
      'shop',
      'prod',
      '1.4.2',
      spec({ strategy: { batchSize: 1, minHealthy: 6 } }),
    );
    expect(plan.rollout).toMatchObject({ ok: false, code: 'floor_unreachable' });
  });
});
