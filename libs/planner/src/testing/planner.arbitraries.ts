import fc from 'fast-check';
import type { Quantity, RolloutStrategy, TargetServer } from '../lib/rollout-input.types';

/** A quantity together with the number of servers it must resolve to, computed independently. */
export interface GeneratedQuantity {
  readonly value: Quantity;
  readonly servers: number;
}

/** basis points (1/100 of a percent) → "12.5%"-style text; the expected count uses integers only. */
function percentOf(basisPoints: number, fleetSize: number): GeneratedQuantity {
  const whole = Math.floor(basisPoints / 100);
  const fraction = basisPoints % 100;
  const text = fraction === 0 ? `${whole}` : `${whole}.${String(fraction).padStart(2, '0')}`;
  let servers = 0;
  while (servers * 10000 < basisPoints * fleetSize) servers += 1; // smallest count ≥ the percentage
  return { value: `${text}%` as Quantity, servers };
}

export function quantityArb(
  fleetSize: number,
  minimum: 0 | 1,
  maxCount: number,
): fc.Arbitrary<GeneratedQuantity> {
  return fc.oneof(
    fc
      .integer({ min: minimum, max: Math.max(minimum, maxCount) })
      .map((count) => ({ value: count, servers: count })),
    fc.integer({ min: minimum, max: 10000 }).map((basisPoints) => percentOf(basisPoints, fleetSize)),
  );
}

export interface GeneratedStrategy {
  readonly strategy: RolloutStrategy;
  readonly batchSize: number;
  readonly maxUnavailable: number;
  readonly floor: number;
}

export function strategyArb(fleetSize: number): fc.Arbitrary<GeneratedStrategy> {
  return fc
    .record({
      batchSize: quantityArb(fleetSize, 1, fleetSize + 3),
      canary: fc.option(quantityArb(fleetSize, 0, fleetSize), { nil: undefined }),
      maxUnavailable: fc.option(quantityArb(fleetSize, 1, fleetSize + 3), { nil: undefined }),
      minHealthy: quantityArb(fleetSize, 0, fleetSize),
    })
    .map(({ batchSize, canary, maxUnavailable, minHealthy }) => ({
      strategy: {
        batchSize: batchSize.value,
        minHealthy: minHealthy.value,
        ...(canary === undefined ? {} : { canary: canary.value }),
        ...(maxUnavailable === undefined ? {} : { maxUnavailable: maxUnavailable.value }),
      },
      batchSize: batchSize.servers,
      maxUnavailable: maxUnavailable?.servers ?? batchSize.servers,
      floor: minHealthy.servers,
    }));
}

/** A fleet of 1..200 servers, mostly healthy, with a few excluded. */
export interface GeneratedFleet {
  readonly targets: readonly TargetServer[];
  readonly exclude: readonly string[];
}

export const fleetArb: fc.Arbitrary<GeneratedFleet> = fc
  .integer({ min: 1, max: 200 })
  .chain((size) =>
    fc.record({
      health: fc.array(
        fc.integer({ min: 0, max: 9 }).map((roll) => roll > 0),
        { minLength: size, maxLength: size },
      ),
      excluded: fc.array(
        fc.integer({ min: 0, max: 19 }).map((roll) => roll === 0),
        { minLength: size, maxLength: size },
      ),
    }),
  )
  .map(({ health, excluded }) => ({
    targets: health.map((healthy, position) => ({ id: `srv-${position}`, healthy })),
    exclude: excluded.flatMap((isExcluded, position) => (isExcluded ? [`srv-${position}`] : [])),
  }));

/** Something that happens during a rollout; `pick` selects a server by position (modulo). */
export type RolloutEvent =
  | { readonly type: 'complete-batch' }
  | { readonly type: 'server-fails'; readonly pick: number }
  | { readonly type: 'server-recovers'; readonly pick: number }
  | { readonly type: 'exclude-host'; readonly pick: number };

export const rolloutEventsArb: fc.Arbitrary<RolloutEvent[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.constant({ type: 'complete-batch' as const }) },
    { weight: 2, arbitrary: fc.nat().map((pick) => ({ type: 'server-fails' as const, pick })) },
    { weight: 1, arbitrary: fc.nat().map((pick) => ({ type: 'server-recovers' as const, pick })) },
    { weight: 1, arbitrary: fc.nat().map((pick) => ({ type: 'exclude-host' as const, pick })) },
  ),
  { maxLength: 12 },
);
