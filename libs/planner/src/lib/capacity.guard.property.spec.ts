import fc from 'fast-check';
import { capacityGuard } from './capacity.guard';

const ids = Array.from({ length: 30 }, (_, position) => `srv-${position}`);

const guardCaseArb = fc.record({
  onlineIds: fc.subarray(ids),
  takeOutIds: fc.array(fc.constantFrom(...ids), { maxLength: 40 }), // duplicates and servers already out
  floor: fc.integer({ min: 0, max: 32 }),
});

describe('capacityGuard (properties)', () => {
  it('never allows a request that takes online servers out and leaves fewer than the floor', () => {
    fc.assert(
      fc.property(guardCaseArb, ({ onlineIds, takeOutIds, floor }) => {
        const decision = capacityGuard({ onlineIds, floor }, { takeOutIds });
        const remaining = onlineIds.filter((id) => !takeOutIds.includes(id)).length;
        const takesOnlineOut = takeOutIds.some((id) => onlineIds.includes(id));
        if (decision.allowed && takesOnlineOut) expect(remaining).toBeGreaterThanOrEqual(floor);
        if (!takesOnlineOut) expect(decision.allowed).toBe(true);
        expect(decision.wouldRemain).toBe(remaining);
      }),
      { numRuns: 1000 },
    );
  });

  it('allows every request that keeps the floor', () => {
    fc.assert(
      fc.property(guardCaseArb, ({ onlineIds, takeOutIds, floor }) => {
        const remaining = onlineIds.filter((id) => !takeOutIds.includes(id)).length;
        fc.pre(remaining >= floor);
        expect(capacityGuard({ onlineIds, floor }, { takeOutIds }).allowed).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
