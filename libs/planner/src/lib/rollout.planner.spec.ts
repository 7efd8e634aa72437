import type { RolloutStrategy } from './rollout-input.types';
import type { PlanResult, RolloutPlan } from './rollout-plan.types';
import { planRollout } from './rollout.planner';
import { fleetOf, TIMINGS } from '../testing/fleet.factory';

function planned(result: PlanResult): RolloutPlan {
  if (!result.ok) throw new Error(`expected a plan, got ${result.code}: ${result.reason}`);
  return result.plan;
}

const shape = (plan: RolloutPlan): string[] =>
  plan.batches.map((batch) => `${batch.kind}:${batch.serverIds.join(',')}`);

describe('planRollout — batches', () => {
  it.each<[string, number, RolloutStrategy, number[], string]>([
    [
      '6 servers, batches of 2, canary 1',
      6,
      { batchSize: 2, canary: 1, minHealthy: 0 },
      [1, 2, 2, 1],
      'batchSize',
    ],
    ['10 servers, batches of 25%', 10, { batchSize: '25%', minHealthy: 0 }, [3, 3, 3, 1], 'batchSize'],
    [
      '30 servers, batches of 10% (exactly 3)',
      30,
      { batchSize: '10%', minHealthy: 0 },
      Array(10).fill(3),
      'batchSize',
    ],
    ['3 servers, batches of 1% (at least 1)', 3, { batchSize: '1%', minHealthy: 0 }, [1, 1, 1], 'batchSize'],
    [
      '5 servers, batches of 4, minHealthy 50% (3)',
      5,
      { batchSize: 4, minHealthy: '50%' },
      [2, 2, 1],
      'minHealthy',
    ],
    [
      '8 servers, batches of 3, maxUnavailable 2',
      8,
      { batchSize: 3, maxUnavailable: 2, minHealthy: 1 },
      [2, 2, 2, 2],
      'maxUnavailable',
    ],
    ['4 servers, batch larger than the fleet', 4, { batchSize: 10, minHealthy: 0 }, [4], 'batchSize'],
    [
      '6 servers, canary 50% clamped by the floor',
      6,
      { batchSize: 1, canary: '50%', maxUnavailable: 3, minHealthy: 4 },
      [2, 1, 1, 1, 1],
      'batchSize',
    ],
    [
      '6 servers, canary 3 clamped by maxUnavailable (default: batchSize)',
      6,
      { batchSize: 1, canary: 3, minHealthy: 0 },
      [1, 1, 1, 1, 1, 1],
      'batchSize',
    ],
    ['5 servers, canary 0 means none', 5, { batchSize: 2, canary: 0, minHealthy: 0 }, [2, 2, 1], 'batchSize'],
    ['1 server, minHealthy 0', 1, { batchSize: 1, minHealthy: '0%' }, [1], 'batchSize'],
  ])('%s → batches %j', (_name, size, strategy, sizes, limitedBy) => {
    const plan = planned(planRollout({ strategy, targets: fleetOf(size), timings: TIMINGS }));
    expect(plan.batches.map((batch) => batch.serverIds.length)).toEqual(sizes);
    expect(plan.batchSizeLimitedBy).toBe(limitedBy);
    expect(plan.batches.flatMap((batch) => batch.serverIds)).toEqual(
      fleetOf(size).map((target) => target.id),
    );
  });

  it('names the canary batch and keeps the fleet order', () => {
    const plan = planned(
      planRollout({
        strategy: { batchSize: 2, canary: 1, minHealthy: 0 },
        targets: fleetOf(6),
        timings: TIMINGS,
      }),
    );
    expect(shape(plan)).toEqual(['canary:s1', 'regular:s2,s3', 'regular:s4,s5', 'regular:s6']);
    expect(plan.batches.map((batch) => batch.index)).toEqual([0, 1, 2, 3]);
  });

  it('reports the capacity of the online pool while each batch is out', () => {
    const plan = planned(
      planRollout({
        strategy: { batchSize: 2, canary: 1, minHealthy: '50%' },
        targets: fleetOf(6),
        timings: TIMINGS,
      }),
    );
    expect(plan.strategy.floor).toBe(3);
    expect(plan.batches[0]!.capacity).toEqual({
      onlineBefore: 6,
      takenOut: 1,
      onlineDuring: 5,
      floor: 3,
      headroom: 2,
      maxUnavailable: 2,
    });
    expect(plan.batches[1]!.capacity).toEqual({
      onlineBefore: 6,
      takenOut: 2,
      onlineDuring: 4,
      floor: 3,
      headroom: 1,
      maxUnavailable: 2,
    });
  });

  it('deploys unhealthy servers last, in one batch that takes nothing out of the pool', () => {
    const plan = planned(
      planRollout({
        strategy: { batchSize: 2, minHealthy: 2 },
        targets: fleetOf(6, ['s2', 's5']),
        timings: TIMINGS,
      }),
    );
    expect(shape(plan)).toEqual(['regular:s1,s3', 'regular:s4,s6', 'unhealthy:s2,s5']);
    expect(plan.batches[2]!.capacity).toMatchObject({
      onlineBefore: 4,
      takenOut: 0,
      onlineDuring: 4,
      headroom: 2,
    });
  });

  it('still deploys unhealthy servers when the pool is already below the floor, since they take nothing out', () => {
    const plan = planned(
      planRollout({
        strategy: { batchSize: 1, minHealthy: 3 },
        targets: fleetOf(3, ['s1', 's2', 's3']),
        timings: TIMINGS,
      }),
    );
    expect(shape(plan)).toEqual(['unhealthy:s1,s2,s3']);
  });

  it('leaves excluded servers out of every batch but counts healthy ones as online', () => {
    const plan = planned(
      planRollout({
        strategy: { batchSize: 3, minHealthy: 3 },
        targets: fleetOf(5),
        timings: TIMINGS,
        exclude: ['s2'],
      }),
    );
    expect(shape(plan)).toEqual(['regular:s1,s3', 'regular:s4,s5']);
    expect(plan.excludedIds).toEqual(['s2']);
    expect(plan.batches[0]!.capacity).toMatchObject({ onlineBefore: 5, takenOut: 2, onlineDuring: 3 });
  });

  it('estimates each batch and the whole rollout from the step timings', () => {
    const plan = planned(
      planRollout({
        strategy: { batchSize: 2, minHealthy: 0 },
        targets: fleetOf(5, ['s5']),
        timings: TIMINGS,
      }),
    );
    expect(
      plan.batches.map((batch) => [batch.estimate.startsAtSeconds, batch.estimate.totalSeconds]),
    ).toEqual([
      [0, 105],
      [105, 105],
      [210, 95], // already out of the pool: no drain
    ]);
    expect(plan.estimatedSeconds).toBe(305);
    expect(plan.remainingSeconds).toBe(305);
  });

  it('gives the same plan for the same input', () => {
    const input = {
      strategy: { batchSize: '30%', canary: 1, minHealthy: '60%' } as const,
      targets: fleetOf(17, ['s4']),
      timings: TIMINGS,
    };
    expect(planRollout(input)).toEqual(planRollout(input));
  });
});
