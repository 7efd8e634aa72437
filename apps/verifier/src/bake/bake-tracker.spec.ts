import { degradationDetail, recordProbeRound, type BakeState } from './bake-tracker';

const round = (...healthy: [string, boolean][]) =>
  healthy.map(([serverId, ok]) => ({
    serverId,
    healthy: ok,
    detail: ok ? 'answered 200' : 'answered 500, expected 200',
  }));

describe('the bake window tracker', () => {
  it('degrades a server only after the threshold of failures in a row', () => {
    let state: BakeState = new Map();
    const first = recordProbeRound(state, round(['s1', false], ['s2', true]), 2);
    expect(first.degraded).toEqual([]);
    state = first.state;
    const second = recordProbeRound(state, round(['s1', false], ['s2', true]), 2);
    expect(second.degraded).toEqual([
      { serverId: 's1', consecutiveFailures: 2, detail: 'answered 500, expected 200' },
    ]);
  });

  it('forgives a blip: a healthy probe resets the count', () => {
    let state: BakeState = new Map();
    for (const ok of [false, true, false]) state = recordProbeRound(state, round(['s1', ok]), 2).state;
    expect(state.get('s1')).toBe(1);
  });

  it('degrades at once with a threshold of one', () => {
    expect(recordProbeRound(new Map(), round(['s1', false]), 1).degraded).toHaveLength(1);
  });

  it('describes the degradation per server', () => {
    expect(
      degradationDetail([{ serverId: 's1', consecutiveFailures: 3, detail: 'no answer within 500 ms' }]),
    ).toBe('s1 failed 3 probes in a row (last: no answer within 500 ms)');
  });
});
