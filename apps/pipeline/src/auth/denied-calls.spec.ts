import { DeniedCallTally, type DeniedCall } from './denied-calls';

const call = (over: Partial<DeniedCall> = {}): DeniedCall => ({
  method: 'GET',
  path: '/runs/1',
  status: 401,
  reason: 'unknown or revoked API token',
  caller: null,
  role: null,
  remoteAddress: '10.0.0.7',
  ...over,
});

describe('refused API calls, as the audit log gets them', () => {
  it('writes the first refusal at once, with a count of 1', () => {
    const tally = new DeniedCallTally({ windowMs: 60_000, maxKeys: 100 });
    expect(tally.denied(call(), 1_000)).toEqual({
      ...call(),
      count: 1,
      firstAt: new Date(1_000).toISOString(),
      lastAt: new Date(1_000).toISOString(),
    });
  });

  it('counts repeats within the window and writes them as one record when it ends', () => {
    const tally = new DeniedCallTally({ windowMs: 60_000, maxKeys: 100 });
    tally.denied(call(), 0);
    expect(tally.denied(call(), 5_000)).toBeUndefined();
    expect(tally.denied(call(), 9_000)).toBeUndefined();
    expect(tally.flush(59_999)).toEqual([]);
    expect(tally.flush(60_000)).toEqual([
      { ...call(), count: 2, firstAt: new Date(5_000).toISOString(), lastAt: new Date(9_000).toISOString() },
    ]);
    // The window is over: the next one is written at once again.
    expect(tally.denied(call(), 61_000)?.count).toBe(1);
  });

  it('keeps different callers, addresses, paths and statuses apart', () => {
    const tally = new DeniedCallTally({ windowMs: 60_000, maxKeys: 100 });
    const written = [
      call(),
      call({ remoteAddress: '10.0.0.8' }),
      call({ path: '/promotions' }),
      call({ status: 403, caller: 'jenkins', role: 'ci' }),
    ].map((c) => tally.denied(c, 0));
    expect(written.every((r) => r?.count === 1)).toBe(true);
  });

  it('counts a flood of distinct refusals past the limit under one overflow record, losing none', () => {
    const tally = new DeniedCallTally({ windowMs: 60_000, maxKeys: 3 });
    const written = Array.from({ length: 10 }, (_, i) => tally.denied(call({ path: `/runs/${i}` }), i));
    expect(written.filter((r) => r !== undefined).map((r) => r?.path)).toEqual([
      '/runs/0',
      '/runs/1',
      '/runs/2',
      '*',
    ]);
    const overflow = tally.flush(0, true).find((r) => r.path === '*');
    expect(overflow?.count).toBe(6);
    // 4 written at once + 6 counted = every one of the 10 refusals.
  });

  it('writes everything still counted on shutdown', () => {
    const tally = new DeniedCallTally({ windowMs: 60_000, maxKeys: 100 });
    tally.denied(call(), 0);
    tally.denied(call(), 1);
    expect(tally.pendingCount()).toBe(1);
    expect(tally.flush(2, true).map((r) => r.count)).toEqual([1]);
    expect(tally.pendingCount()).toBe(0);
  });
});
