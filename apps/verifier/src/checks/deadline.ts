/** Deadline arithmetic: plain numbers (epoch milliseconds), no clock of its own. */

export function deadlineAfter(startMs: number, seconds: number): number {
  return startMs + seconds * 1000;
}

export function remainingMs(deadlineMs: number, nowMs: number): number {
  return Math.max(0, deadlineMs - nowMs);
}

/** The earliest of several deadlines (a check's own window inside the verification's). */
export function earliestDeadline(first: number, ...others: number[]): number {
  return Math.min(first, ...others);
}

/** How long one attempt may take: its own timeout, cut short by the deadline. */
export function attemptTimeoutMs(requestTimeoutMs: number, deadlineMs: number, nowMs: number): number {
  return Math.min(requestTimeoutMs, remainingMs(deadlineMs, nowMs));
}

/**
 * How long to wait before the next attempt, so attempts start `intervalMs` apart; `undefined`
 * when the next attempt would start at or after the deadline (no time is left for it).
 */
export function delayBeforeNextAttempt(
  intervalMs: number,
  attemptStartedMs: number,
  nowMs: number,
  deadlineMs: number,
): number | undefined {
  const nextStart = Math.max(attemptStartedMs + intervalMs, nowMs);
  if (nextStart >= deadlineMs) return undefined;
  return nextStart - nowMs;
}

/** Seconds with one decimal, for messages ("after 2.5 s"). */
export function formatSeconds(ms: number): string {
  return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
}
