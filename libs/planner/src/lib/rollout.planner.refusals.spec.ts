import type { RolloutStrategy } from './rollout-input.types';
import type { PlanResult } from './rollout-plan.types';
import { planRollout } from './rollout.planner';
import { fleetOf, TIMINGS } from '../testing/fleet.factory';

describe('planRollout — refusals', () => {
  const refusal = (result: PlanResult) =>
    result.ok ? undefined : { code: result.code, reason: result.reason, field: result.field };

  it('refuses when even one server would break the floor, and says why with the numbers', () => {
    expect(
      refusal(
        planRollout({ strategy: { batchSize: 1, minHealthy: 2 }, targets: fleetOf(2), timings: TIMINGS }),
      ),
    ).toEqual({
      code: 'floor_unreachable',
      field: 'strategy.minHealthy',
      reason:
        '2 healthy of 2 servers with minHealthy 2: taking out even one server leaves 1 online (2 healthy servers are still to deploy)',
    });
  });

  it('shows a percentage floor in servers', () => {
    const result = planRollout({
      strategy: { batchSize: 1, minHealthy: '100%' },
      targets: fleetOf(4),
      timings: TIMINGS,
    });
    expect(refusal(result)?.reason).toMatch(
      /^4 healthy of 4 servers with minHealthy 100% \(4 servers\): taking out even one server leaves 3 online/,
    );
  });

  it('says when the pool is already below the floor', () => {
    const result = planRollout({
      strategy: { batchSize: 1, minHealthy: 3 },
      targets: fleetOf(4, ['s1', 's2']),
      timings: TIMINGS,
    });
    expect(refusal(result)).toMatchObject({
      code: 'floor_unreachable',
      reason: expect.stringMatching(
        /^2 healthy of 4 servers is already below minHealthy 3: no server can be taken out/,
      ),
    });
  });

  it.each<[string, Partial<RolloutStrategy>, string, RegExp]>([
    [
      'batchSize 0',
      { batchSize: 0 },
      'strategy.batchSize',
      /strategy\.batchSize must be a whole number .* got 0/,
    ],
    ['batchSize 1.5', { batchSize: 1.5 }, 'strategy.batchSize', /got 1\.5/],
    ['batchSize "0%"', { batchSize: '0%' }, 'strategy.batchSize', /above "0%"/],
    ['batchSize "150%"', { batchSize: '150%' }, 'strategy.batchSize', /got "150%"/],
    ['canary -1', { canary: -1 }, 'strategy.canary', /strategy\.canary must be/],
    [
      'maxUnavailable 0',
      { maxUnavailable: 0 },
      'strategy.maxUnavailable',
      /strategy\.maxUnavailable must be/,
    ],
    [
      'minHealthy 7 of 6',
      { minHealthy: 7 },
      'strategy.minHealthy',
      /^strategy\.minHealthy 7 is more than the 6 servers of the fleet$/,
    ],
    [
      'minHealthy "101%"',
      { minHealthy: '101%' },
      'strategy.minHealthy',
      /strategy\.minHealthy must be a percentage between "0%" and "100%"/,
    ],
  ])('refuses %s as invalid_strategy naming the field', (_name, override, field, reason) => {
    const strategy = { batchSize: 2, minHealthy: 1, ...override } as RolloutStrategy;
    expect(refusal(planRollout({ strategy, targets: fleetOf(6), timings: TIMINGS }))).toEqual({
      code: 'invalid_strategy',
      field,
      reason: expect.stringMatching(reason),
    });
  });

  it('refuses an empty fleet and a fully excluded one', () => {
    const strategy = { batchSize: 1, minHealthy: 0 };
    expect(refusal(planRollout({ strategy, targets: [], timings: TIMINGS }))).toMatchObject({
      code: 'empty_fleet',
      field: 'targets',
    });
    expect(
      refusal(planRollout({ strategy, targets: fleetOf(2), timings: TIMINGS, exclude: ['s1', 's2'] })),
    ).toEqual({
      code: 'empty_fleet',
      field: 'exclude',
      reason: 'all 2 targets are excluded: there is no server to deploy',
    });
  });

  it('refuses duplicate targets, unknown exclusions and negative timings', () => {
    const strategy = { batchSize: 1, minHealthy: 0 };
    const twice = [...fleetOf(2), { id: 's1', healthy: true }];
    expect(refusal(planRollout({ strategy, targets: twice, timings: TIMINGS }))).toMatchObject({
      code: 'invalid_targets',
      reason: 'targets lists server "s1" more than once',
    });
    expect(
      refusal(planRollout({ strategy, targets: fleetOf(2), timings: TIMINGS, exclude: ['s9'] })),
    ).toMatchObject({
      code: 'invalid_exclude',
      reason: 'exclude names server "s9", which is not a target of this rollout',
    });
    expect(
      refusal(planRollout({ strategy, targets: fleetOf(2), timings: { ...TIMINGS, verifySeconds: -1 } })),
    ).toMatchObject({
      code: 'invalid_timings',
      field: 'timings.verifySeconds',
    });
  });
});
