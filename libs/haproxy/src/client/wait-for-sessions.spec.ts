import { SessionWaitTimeoutError, UnknownServerError } from '../errors/haproxy-errors';
import type { StatRow } from '../parsing/show-stat-parser';
import { waitForSessions } from './wait-for-sessions';

function snapshot(sessions: number): StatRow[] {
  const base = {
    status: { status: 'UP' as const, raw: 'UP' },
    weight: 100,
    userWeight: 100,
    checkStatus: 'L7OK',
    checkDescription: undefined,
    totalSessions: 0,
    fields: {},
  };
  return [
    { ...base, proxy: 'be', name: 'BACKEND', type: 'backend', currentSessions: sessions },
    { ...base, proxy: 'be', name: 's1', type: 'server', currentSessions: sessions },
  ];
}

/** A stat source that answers the given session counts in order, then repeats the last. */
function source(counts: number[]): { read: () => Promise<StatRow[]>; calls: () => number } {
  let calls = 0;
  return {
    read: () => Promise.resolve(snapshot(counts[Math.min(calls++, counts.length - 1)])),
    calls: () => calls,
  };
}

describe('waitForSessions', () => {
  it('resolves with the count once the server is at or under the limit', async () => {
    const stat = source([3, 2, 0]);
    await expect(waitForSessions(stat.read, 'be', 's1', { timeoutMs: 5000, pollMs: 1 })).resolves.toBe(0);
    expect(stat.calls()).toBe(3);
  });

  it('accepts a limit above zero', async () => {
    const stat = source([3, 1]);
    await expect(
      waitForSessions(stat.read, 'be', 's1', { timeoutMs: 5000, pollMs: 1, atMost: 1 }),
    ).resolves.toBe(1);
  });

  it('gives up with the last count when sessions never drain', async () => {
    const stat = source([2]);
    const waiting = waitForSessions(stat.read, 'be', 's1', { timeoutMs: 30, pollMs: 5 });
    await expect(waiting).rejects.toThrow(SessionWaitTimeoutError);
    await expect(waitForSessions(stat.read, 'be', 's1', { timeoutMs: 30, pollMs: 5 })).rejects.toThrow(
      /be\/s1 still had 2 session\(s\) \(wanted at most 0\) after 30 ms/,
    );
  });

  it('raises UnknownServerError for a server the snapshot lacks', async () => {
    await expect(waitForSessions(source([0]).read, 'be', 's9', { timeoutMs: 100 })).rejects.toThrow(
      UnknownServerError,
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const waiting = waitForSessions(source([5]).read, 'be', 's1', {
      timeoutMs: 10_000,
      pollMs: 5,
      signal: controller.signal,
    });
    controller.abort(new Error('rollout cancelled'));
    await expect(waiting).rejects.toThrow('rollout cancelled');
  });
});
