import { setTimeout as sleep } from 'node:timers/promises';
import { SessionWaitTimeoutError } from '../errors/haproxy-errors';
import type { StatRow } from '../parsing/show-stat-parser';
import { requireServerRow } from '../parsing/stat-snapshot';

export interface WaitForSessionsOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Time between two `show stat` calls. Default 100 ms. */
  readonly pollMs?: number;
  /** Done when the server has at most this many sessions. Default 0. */
  readonly atMost?: number;
  /** Stops waiting early: rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Polls a stat source until the server's `scur` is at most `atMost`. */
export async function waitForSessions(
  readStat: () => Promise<readonly StatRow[]>,
  backend: string,
  server: string,
  options: WaitForSessionsOptions,
): Promise<number> {
  const atMost = options.atMost ?? 0;
  const pollMs = options.pollMs ?? 100;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const sessions = requireServerRow(await readStat(), backend, server).currentSessions;
    if (sessions <= atMost) return sessions;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new SessionWaitTimeoutError(backend, server, sessions, atMost, options.timeoutMs);
    }
    try {
      await sleep(Math.min(pollMs, remaining), undefined, { signal: options.signal });
    } catch (error) {
      // Node rejects with a generic AbortError; the caller's reason says why.
      options.signal?.throwIfAborted();
      throw error;
    }
  }
}
