import type { AmqpConnectionManager } from 'amqp-connection-manager';
import {
  INITIAL_RECONNECT_STATE,
  onConnected,
  onConnectionLost,
  type ReconnectPolicy,
  type ReconnectState,
} from './reconnect-backoff';

/**
 * Makes a connection manager wait a jittered, growing time before each reconnect instead of its
 * fixed `reconnectTimeInSeconds`. amqp-connection-manager emits `disconnect` / `connectFailed`
 * synchronously and reads `reconnectTimeInSeconds` right after, so setting it in the listener sets
 * the next wait. `onWait` sees every wait chosen (for logs and tests).
 */
export function applyReconnectBackoff(
  connection: AmqpConnectionManager,
  policy: ReconnectPolicy,
  options: {
    random?: () => number;
    now?: () => number;
    onWait?: (delayMs: number, attempt: number) => void;
  } = {},
): void {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  let state: ReconnectState = INITIAL_RECONNECT_STATE;
  const lost = () => {
    const { delayMs, next } = onConnectionLost(state, now(), policy, random);
    state = next;
    connection.reconnectTimeInSeconds = delayMs / 1000;
    options.onWait?.(delayMs, next.attempt);
  };
  connection.on('connect', () => {
    state = onConnected(state, now());
  });
  connection.on('disconnect', lost);
  connection.on('connectFailed', lost);
}
