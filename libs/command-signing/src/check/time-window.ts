export interface TimeWindowPolicy {
  maxClockSkewMs: number;
}

export type TimeWindowVerdict =
  | { ok: true }
  | { ok: false; reason: 'not_yet_valid' | 'expired'; detail: string };

/**
 * Pure: may a command issued at `issuedAt` and expiring at `expiresAt` be acted on at `now`?
 * Valid from issuedAt - skew (inclusive) until expiresAt + skew (exclusive).
 */
export function checkTimeWindow(
  command: { issuedAt: string; expiresAt: string },
  now: Date,
  policy: TimeWindowPolicy,
): TimeWindowVerdict {
  const nowMs = now.getTime();
  const issuedMs = Date.parse(command.issuedAt);
  const expiresMs = Date.parse(command.expiresAt);
  if (nowMs < issuedMs - policy.maxClockSkewMs) {
    return {
      ok: false,
      reason: 'not_yet_valid',
      detail: `issued at ${command.issuedAt}, ${issuedMs - nowMs} ms after this agent's clock (${now.toISOString()}); allowed skew is ${policy.maxClockSkewMs} ms`,
    };
  }
  if (nowMs >= expiresMs + policy.maxClockSkewMs) {
    return {
      ok: false,
      reason: 'expired',
      detail: `expired at ${command.expiresAt}, ${nowMs - expiresMs} ms before this agent's clock (${now.toISOString()}); allowed skew is ${policy.maxClockSkewMs} ms`,
    };
  }
  return { ok: true };
}

/** How long an agent must remember a nonce: as long as the command could still be accepted. */
export function nonceRetentionEnd(command: { expiresAt: string }, policy: TimeWindowPolicy): Date {
  return new Date(Date.parse(command.expiresAt) + policy.maxClockSkewMs);
}
