/** How an agent waits before reconnecting to RabbitMQ (AGENT_RECONNECT_*). */
export interface ReconnectPolicy {
  /** The first wait is drawn from [0, baseMs). */
  baseMs: number;
  /** No wait is drawn from a window wider than this. */
  capMs: number;
  /** A connection that lasted this long was stable: the next loss starts again from the first window. */
  stableMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseMs: 500, capMs: 15_000, stableMs: 60_000 };

/**
 * "Full jitter" exponential back-off: a wait drawn uniformly from [0, min(cap, base × 2^attempt)).
 * Thousands of agents that lose the broker at the same instant come back spread over the window
 * instead of all at once, and a broker that stays down is retried less and less often.
 * `random` returns a number in [0, 1).
 */
export function reconnectDelayMs(attempt: number, policy: ReconnectPolicy, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be a whole number >= 0, got ${attempt}`);
  // 2^attempt overflows to Infinity past ~1024: min() keeps the window at the cap.
  const window = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 1024));
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(draw * window), Math.max(0, window - 1));
}

/** Back-off state of one connection: how many attempts since the last stable connection. */
export interface ReconnectState {
  attempt: number;
  /** When the current connection was made (ms since epoch); undefined while disconnected. */
  connectedAt?: number;
}

export const INITIAL_RECONNECT_STATE: ReconnectState = { attempt: 0 };

/** The connection came up. */
export function onConnected(state: ReconnectState, now: number): ReconnectState {
  return { attempt: state.attempt, connectedAt: now };
}

/**
 * The connection was lost, or an attempt to make it failed: the wait before the next attempt and
 * the state after it. A lost connection that had been up for `stableMs` resets the attempts.
 */
export function onConnectionLost(
  state: ReconnectState,
  now: number,
  policy: ReconnectPolicy,
  random: () => number,
): { delayMs: number; next: ReconnectState } {
  const stable = state.connectedAt !== undefined && now - state.connectedAt >= policy.stableMs;
  const attempt = stable ? 0 : state.attempt;
  return { delayMs: reconnectDelayMs(attempt, policy, random), next: { attempt: attempt + 1 } };
}
