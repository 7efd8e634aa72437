import { EventEmitter } from 'node:events';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { applyReconnectBackoff } from './reconnect-schedule';

/** Stands in for amqp-connection-manager: its events, and the wait it reads after each. */
class FakeConnection extends EventEmitter {
  reconnectTimeInSeconds = 1;
}

describe('applyReconnectBackoff', () => {
  it('sets the next wait on every loss or failed attempt, growing, and resets after a stable connection', () => {
    const connection = new FakeConnection();
    let now = 0;
    const waits: number[] = [];
    applyReconnectBackoff(
      connection as unknown as AmqpConnectionManager,
      { baseMs: 500, capMs: 30_000, stableMs: 60_000 },
      { random: () => 0.5, now: () => now, onWait: (delayMs) => waits.push(delayMs) },
    );
    connection.emit('connect', {});
    now = 1000;
    connection.emit('disconnect', { err: new Error('closed') });
    expect(connection.reconnectTimeInSeconds).toBe(0.25);
    connection.emit('connectFailed', { err: new Error('refused') });
    connection.emit('connectFailed', { err: new Error('refused') });
    expect(connection.reconnectTimeInSeconds).toBe(1);
    connection.emit('connect', {});
    now += 60_000;
    connection.emit('disconnect', { err: new Error('closed') });
    expect(waits).toEqual([250, 500, 1000, 250]);
  });
});
