import { checkTimeWindow, nonceRetentionEnd } from './time-window';

const command = { issuedAt: '2025-03-01T12:00:00.000Z', expiresAt: '2025-03-01T12:05:00.000Z' };
const policy = { maxClockSkewMs: 10_000 };
const at = (iso: string): Date => new Date(iso);

describe('checkTimeWindow', () => {
  it.each([
    ['at issue time', '2025-03-01T12:00:00.000Z'],
    ['just before expiry', '2025-03-01T12:04:59.999Z'],
    ['up to the skew before issue', '2025-03-01T11:59:50.000Z'],
    ['up to just under the skew after expiry', '2025-03-01T12:05:09.999Z'],
  ])('accepts %s', (_label, now) => {
    expect(checkTimeWindow(command, at(now), policy)).toEqual({ ok: true });
  });

  it('is not yet valid more than the skew before issue, saying by how much', () => {
    expect(checkTimeWindow(command, at('2025-03-01T11:59:49.999Z'), policy)).toEqual({
      ok: false,
      reason: 'not_yet_valid',
      detail:
        "issued at 2025-03-01T12:00:00.000Z, 10001 ms after this agent's clock (2025-03-01T11:59:49.999Z); allowed skew is 10000 ms",
    });
  });

  it('is expired from expiry plus the skew, saying by how much', () => {
    expect(checkTimeWindow(command, at('2025-03-01T12:05:10.000Z'), policy)).toEqual({
      ok: false,
      reason: 'expired',
      detail:
        "expired at 2025-03-01T12:05:00.000Z, 10000 ms before this agent's clock (2025-03-01T12:05:10.000Z); allowed skew is 10000 ms",
    });
  });

  it('with no skew allowed, expiry is exact', () => {
    expect(checkTimeWindow(command, at('2025-03-01T12:05:00.000Z'), { maxClockSkewMs: 0 })).toMatchObject({
      reason: 'expired',
    });
  });
});

describe('nonceRetentionEnd', () => {
  it('keeps a nonce exactly as long as the command could still be accepted', () => {
    const end = nonceRetentionEnd(command, policy);
    expect(checkTimeWindow(command, new Date(end.getTime() - 1), policy).ok).toBe(true);
    expect(checkTimeWindow(command, end, policy).ok).toBe(false);
  });
});
