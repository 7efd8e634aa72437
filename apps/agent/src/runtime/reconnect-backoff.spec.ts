import {
  DEFAULT_RECONNECT_POLICY,
  INITIAL_RECONNECT_STATE,
  onConnected,
  onConnectionLost,
  reconnectDelayMs,
  type ReconnectState,
} from './reconnect-backoff';

const policy = DEFAULT_RECONNECT_POLICY; // base 500 ms, cap 30 s, stable after 60 s
const almostOne = () => 0.999999;

describe('reconnectDelayMs (full jitter)', () => {
  it('draws from a window that doubles per attempt, up to the cap', () => {
    expect(
      [0, 1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => reconnectDelayMs(attempt, policy, almostOne)),
    ).toEqual([499, 999, 1999, 3999, 7999, 14_999, 14_999, 14_999, 14_999]);
  });

  it('can be anything from zero: the draw scales the window', () => {
    expect(reconnectDelayMs(3, policy, () => 0)).toBe(0);
    expect(reconnectDelayMs(3, policy, () => 0.5)).toBe(2000);
  });

  it('stays within the cap for huge attempt numbers and odd random values', () => {
    expect(reconnectDelayMs(5000, policy, almostOne)).toBe(14_999);
    expect(reconnectDelayMs(2, policy, () => 7)).toBe(1999);
    expect(reconnectDelayMs(2, policy, () => -1)).toBe(0);
  });

  it('spreads 1,000 agents over the window instead of one instant', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const delays = Array.from({ length: 1000 }, () => reconnectDelayMs(4, policy, random));
    const perSecond = new Array<number>(8).fill(0);
    for (const delay of delays) perSecond[Math.floor(delay / 1000)]! += 1;
    // 8 s window: about 125 a second, none of the seconds holding more than a fifth of the fleet.
    expect(Math.max(...perSecond)).toBeLessThan(200);
    expect(Math.min(...perSecond)).toBeGreaterThan(60);
  });

  it('refuses a negative or fractional attempt', () => {
    expect(() => reconnectDelayMs(-1, policy, almostOne)).toThrow(RangeError);
    expect(() => reconnectDelayMs(1.5, policy, almostOne)).toThrow(RangeError);
  });
});

describe('reconnect state', () => {
  it('grows the window on each failed attempt while the broker stays away', () => {
    let state: ReconnectState = onConnected(INITIAL_RECONNECT_STATE, 0);
    const delays: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const lost = onConnectionLost(state, 1000 + index, policy, almostOne);
      delays.push(lost.delayMs);
      state = lost.next;
    }
    expect(delays).toEqual([499, 999, 1999, 3999]);
  });

  it('starts again from the first window after a stable connection', () => {
    let state: ReconnectState = { attempt: 6 };
    state = onConnected(state, 0);
    const lost = onConnectionLost(state, policy.stableMs, policy, almostOne);
    expect(lost.delayMs).toBe(499);
    expect(lost.next.attempt).toBe(1);
  });

  it('keeps growing when the connection drops again soon after it came back (a flapping broker)', () => {
    const state = onConnected({ attempt: 5 }, 0);
    const lost = onConnectionLost(state, policy.stableMs - 1, policy, almostOne);
    expect(lost.delayMs).toBe(14_999);
    expect(lost.next.attempt).toBe(6);
  });
});
