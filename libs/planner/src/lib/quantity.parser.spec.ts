import { resolveQuantity } from './quantity.parser';

const positive = { allowZero: false };
const orZero = { allowZero: true };

describe('resolveQuantity', () => {
  it.each([
    [3, 10, 3],
    [12, 10, 12],
    ['25%', 10, 3], // 2.5 rounds up
    ['10%', 30, 3], // exact: floating point would say 3.0000000000000004 → 4
    ['1%', 3, 1], // any non-zero percentage is at least one server
    ['12.5%', 8, 1],
    ['12.5%', 9, 2],
    ['100%', 7, 7],
    ['33.33%', 3, 1],
    ['33.34%', 3, 2],
  ] as const)('resolves %p of a fleet of %p to %p servers', (value, fleetSize, servers) => {
    expect(resolveQuantity(value, 'strategy.batchSize', fleetSize, positive)).toEqual({ ok: true, servers });
  });

  it('accepts zero only where zero is allowed', () => {
    expect(resolveQuantity(0, 'strategy.minHealthy', 5, orZero)).toEqual({ ok: true, servers: 0 });
    expect(resolveQuantity('0%', 'strategy.minHealthy', 5, orZero)).toEqual({ ok: true, servers: 0 });
    expect(resolveQuantity(0, 'strategy.batchSize', 5, positive)).toMatchObject({ ok: false });
    expect(resolveQuantity('0%', 'strategy.batchSize', 5, positive)).toMatchObject({ ok: false });
  });

  it.each([
    [-1],
    [1.5],
    [Number.NaN],
    [Infinity],
    ['ten'],
    ['abc%'],
    ['150%'],
    ['-5%'],
    ['5 %'],
    ['5'],
    [null],
    [true],
  ])('refuses %p and names the field', (value) => {
    const result = resolveQuantity(value, 'strategy.batchSize', 10, positive);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^strategy\.batchSize must be /);
  });

  it('quotes a bad percentage in the message', () => {
    expect(resolveQuantity('150%', 'strategy.maxUnavailable', 10, positive)).toEqual({
      ok: false,
      reason: 'strategy.maxUnavailable must be a percentage above "0%" and at most "100%", got "150%"',
    });
  });
});
