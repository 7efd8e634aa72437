import type { RolloutStrategy, TargetServer } from './rollout-input.types';
import type { PlanResult, RolloutPlan } from './rollout-plan.types';
import { planRollout } from './rollout.planner';
import { replanRemaining } from './rollout.replanner';
import { fleetOf, TIMINGS } from '../testing/fleet.factory';

function planned(result: PlanResult): RolloutPlan {
  if (!result.ok) throw new Error(`expected a plan, got ${result.code}: ${result.reason}`);
  return result.plan;
}

const shape = (plan: RolloutPlan): string[] =>
  plan.batches.map((batch) => `${batch.index}/${batch.kind}:${batch.serverIds.join(',')}`);

/** Six healthy servers, canary 1 then batches of 2, minHealthy 3: [s1] [s2,s3] [s4,s5] [s6]. */
function sixServerPlan(strategy: RolloutStrategy = { batchSize: 2, canary: 1, minHealthy: 3 }): RolloutPlan {
  return planned(planRollout({ strategy, targets: fleetOf(6), timings: TIMINGS }));
}

const healthExcept = (unhealthy: readonly string[], size = 6): TargetServer[] => fleetOf(size, unhealthy);

describe('replanRemaining', () => {
  it('keeps completed batches and moves a server that went unhealthy to the final batch', () => {
    const plan = planned(replanRemaining(sixServerPlan(), [0], [], healthExcept(['s4'])));
    expect(shape(plan)).toEqual(['0/canary:s1', '1/regular:s2,s3', '2/regular:s5,s6', '3/unhealthy:s4']);
    expect(plan.completedBatchCount).toBe(1);
    expect(plan.batches[1]!.capacity).toMatchObject({
      onlineBefore: 5,
      takenOut: 2,
      onlineDuring: 3,
      floor: 3,
    });
  });

  it('shrinks batches when failures eat into the headroom above the floor', () => {
    const plan = planned(replanRemaining(sixServerPlan(), [0, 1], [], healthExcept(['s2'])));
    // 5 online, floor 3 → still 2 at a time; one more failure → 1 at a time.
    expect(shape(plan).slice(2)).toEqual(['2/regular:s4,s5', '3/regular:s6']);
    const tighter = planned(replanRemaining(plan, [0, 1], [], healthExcept(['s2', 's3'])));
    expect(shape(tighter).slice(2)).toEqual(['2/regular:s4', '3/regular:s5', '4/regular:s6']);
    expect(tighter.batchSizeLimitedBy).toBe('minHealthy');
  });

  it('refuses with the numbers when the floor leaves no room for the servers still to deploy', () => {
    const result = replanRemaining(sixServerPlan(), [0, 1], [], healthExcept(['s2', 's3', 's4']));
    expect(result).toEqual({
      ok: false,
      code: 'floor_unreachable',
      field: 'strategy.minHealthy',
      reason:
        '3 healthy of 6 servers with minHealthy 3: taking out even one server leaves 2 online (2 healthy servers are still to deploy)',
    });
  });

  it('drops an excluded host from the remaining batches and remembers the exclusion', () => {
    const plan = planned(replanRemaining(sixServerPlan(), [0], ['s3'], healthExcept([])));
    expect(shape(plan)).toEqual(['0/canary:s1', '1/regular:s2,s4', '2/regular:s5,s6']);
    expect(plan.excludedIds).toEqual(['s3']);
    const again = planned(replanRemaining(plan, [0, 1], [], healthExcept([])));
    expect(again.batches.flatMap((batch) => batch.serverIds)).not.toContain('s3');
  });

  it('puts a recovered server back into the regular batches', () => {
    const original = planned(
      planRollout({
        strategy: { batchSize: 2, minHealthy: 1 },
        targets: fleetOf(4, ['s2']),
        timings: TIMINGS,
      }),
    );
    expect(shape(original)).toEqual(['0/regular:s1,s3', '1/regular:s4', '2/unhealthy:s2']);
    const plan = planned(replanRemaining(original, [0], [], healthExcept([], 4)));
    expect(shape(plan)).toEqual(['0/regular:s1,s3', '1/regular:s2,s4']);
  });

  it('treats a server missing from liveHealth as out of the online pool', () => {
    const live = healthExcept([]).filter((server) => server.id !== 's5');
    const plan = planned(replanRemaining(sixServerPlan(), [0], [], live));
    expect(plan.batches.at(-1)).toMatchObject({ kind: 'unhealthy', serverIds: ['s5'] });
  });

  it('keeps the canary when no batch has completed yet, and drops it afterwards', () => {
    const before = planned(replanRemaining(sixServerPlan(), [], ['s1'], healthExcept([])));
    expect(shape(before)[0]).toBe('0/canary:s2');
    const after = planned(replanRemaining(sixServerPlan(), [0], [], healthExcept([])));
    expect(after.batches.filter((batch) => batch.kind === 'canary')).toHaveLength(1);
  });

  it('estimates the remaining time separately from the whole rollout', () => {
    const plan = planned(replanRemaining(sixServerPlan(), [0, 1], [], healthExcept([])));
    expect(plan.estimatedSeconds).toBe(4 * 105);
    expect(plan.remainingSeconds).toBe(2 * 105);
    expect(plan.batches[2]!.estimate.startsAtSeconds).toBe(210);
  });

  it('returns a plan with nothing left once every batch is done', () => {
    const plan = planned(replanRemaining(sixServerPlan(), [3, 2, 1, 0], [], healthExcept([])));
    expect(plan.completedBatchCount).toBe(4);
    expect(plan.remainingSeconds).toBe(0);
  });

  it.each<[string, number[], string]>([
    [
      'a gap',
      [1],
      'completedBatchIndexes must be the first batches in order: batch 0 is missing while 1 are marked done',
    ],
    ['an unknown index', [0, 7], 'completedBatchIndexes contains 7, but the plan has batches 0 to 3'],
  ])('refuses progress with %s', (_name, indexes, reason) => {
    expect(replanRemaining(sixServerPlan(), indexes, [], healthExcept([]))).toMatchObject({
      ok: false,
      code: 'invalid_progress',
      reason,
    });
  });

  it('refuses to go back on batches an earlier replan marked done', () => {
    const plan = planned(replanRemaining(sixServerPlan(), [0, 1], [], healthExcept([])));
    expect(replanRemaining(plan, [0], [], healthExcept([]))).toMatchObject({
      ok: false,
      code: 'invalid_progress',
    });
  });

  it('refuses to exclude a server that is already deployed, or one it does not know', () => {
    expect(replanRemaining(sixServerPlan(), [0, 1], ['s2'], healthExcept([]))).toMatchObject({
      ok: false,
      code: 'invalid_exclude',
      reason: 'excludedIds names server "s2", which was already deployed in batch 1',
    });
    expect(replanRemaining(sixServerPlan(), [0], ['s42'], healthExcept([]))).toMatchObject({
      ok: false,
      code: 'invalid_exclude',
    });
  });

  it('refuses live health for a server that is not a target', () => {
    const live = [...healthExcept([]), { id: 'stranger', healthy: true }];
    expect(replanRemaining(sixServerPlan(), [0], [], live)).toMatchObject({
      ok: false,
      code: 'invalid_targets',
      reason: 'liveHealth names server "stranger", which is not a target of this plan',
    });
  });
});
