import fc from 'fast-check';
import type { TargetServer } from './rollout-input.types';
import type { PlanResult, RolloutPlan } from './rollout-plan.types';
import { planRollout } from './rollout.planner';
import { replanRemaining } from './rollout.replanner';
import { TIMINGS } from '../testing/fleet.factory';
import { fleetArb, rolloutEventsArb, strategyArb, type RolloutEvent } from '../testing/planner.arbitraries';
import { planViolations } from '../testing/plan-invariants.checker';

const scenarioArb = fleetArb.chain((fleet) =>
  fc.record({
    fleet: fc.constant(fleet),
    expected: strategyArb(fleet.targets.length),
    events: rolloutEventsArb,
  }),
);

/** A refusal is only acceptable when the floor really leaves no room for one healthy server. */
function refusalViolations(
  result: PlanResult,
  online: number,
  floor: number,
  healthyToDeploy: number,
): string[] {
  if (result.ok) return [];
  if (result.code !== 'floor_unreachable') return [`unexpected refusal ${result.code}: ${result.reason}`];
  return healthyToDeploy > 0 && online - floor < 1
    ? []
    : [`refused although ${online} online, floor ${floor}`];
}

interface LiveState {
  health: Map<string, boolean>;
  excluded: Set<string>;
  newlyExcluded: string[];
  completed: number;
}

function undeployed(plan: RolloutPlan, state: LiveState): string[] {
  const deployed = new Set(plan.batches.slice(0, state.completed).flatMap((batch) => batch.serverIds));
  return plan.targetIds.filter((id) => !deployed.has(id) && !state.excluded.has(id));
}

/** Applies an event to the live state; returns false when it does not apply (nothing changes). */
function applyEvent(event: RolloutEvent, plan: RolloutPlan, state: LiveState): boolean {
  const pickFrom = (ids: readonly string[], pick: number): string | undefined =>
    ids[pick % Math.max(1, ids.length)];
  switch (event.type) {
    case 'complete-batch':
      if (state.completed >= plan.batches.length) return false;
      state.completed += 1;
      return true;
    case 'server-fails':
    case 'server-recovers': {
      const id = pickFrom(plan.targetIds, event.pick);
      if (id === undefined) return false;
      state.health.set(id, event.type === 'server-recovers');
      return true;
    }
    case 'exclude-host': {
      const id = pickFrom(undeployed(plan, state), event.pick);
      if (id === undefined) return false;
      state.excluded.add(id);
      state.newlyExcluded.push(id);
      return true;
    }
  }
}

describe('planRollout and replanRemaining (properties)', () => {
  it('keep the floor and maxUnavailable, cover every non-excluded target once, and are deterministic', () => {
    fc.assert(
      fc.property(scenarioArb, ({ fleet, expected, events }) => {
        const input = {
          strategy: expected.strategy,
          targets: fleet.targets,
          timings: TIMINGS,
          exclude: fleet.exclude,
        };
        const first = planRollout(input);
        expect(planRollout(input)).toEqual(first);

        const state: LiveState = {
          health: new Map(fleet.targets.map((target) => [target.id, target.healthy])),
          excluded: new Set(fleet.exclude),
          newlyExcluded: [],
          completed: 0,
        };
        const onlineIds = (): Set<string> =>
          new Set([...state.health].filter(([, healthy]) => healthy).map(([id]) => id));
        const healthyToDeploy = (ids: readonly string[]): number =>
          ids.filter((id) => state.health.get(id)).length;
        const context = () => ({
          fleetIds: fleet.targets.map((target) => target.id),
          online: onlineIds(),
          excluded: state.excluded,
          floor: expected.floor,
          maxUnavailable: expected.maxUnavailable,
        });

        const firstToDeploy = fleet.targets.map((t) => t.id).filter((id) => !state.excluded.has(id));
        if (firstToDeploy.length === 0) {
          expect(first).toMatchObject({ ok: false, code: 'empty_fleet' });
          return;
        }
        expect(
          refusalViolations(first, onlineIds().size, expected.floor, healthyToDeploy(firstToDeploy)),
        ).toEqual([]);
        if (!first.ok) return;
        expect(planViolations(first.plan, context())).toEqual([]);

        let plan = first.plan;
        for (const event of events) {
          const before = plan;
          if (!applyEvent(event, plan, state)) continue;
          const liveHealth: TargetServer[] = [...state.health].map(([id, healthy]) => ({ id, healthy }));
          const completedIndexes = Array.from({ length: state.completed }, (_, index) => index);
          const replanned = replanRemaining(plan, completedIndexes, state.newlyExcluded, liveHealth);
          expect(replanRemaining(plan, completedIndexes, state.newlyExcluded, liveHealth)).toEqual(replanned);
          const remaining = undeployed(plan, state);
          expect(
            refusalViolations(replanned, onlineIds().size, expected.floor, healthyToDeploy(remaining)),
          ).toEqual([]);
          if (!replanned.ok) return;
          expect(planViolations(replanned.plan, context())).toEqual([]);
          if (event.type === 'complete-batch') {
            // Nothing changed but progress: the batches still to run stay as they were.
            const ids = (p: RolloutPlan) => p.batches.slice(state.completed).map((batch) => batch.serverIds);
            expect(ids(replanned.plan)).toEqual(ids(before));
          }
          plan = replanned.plan;
        }
      }),
      { numRuns: 300 },
    );
  });
});
