import { decideAccess, type KnownToken } from './api-access.policy';
import { hashApiToken, parseBearer } from './bearer-token';

const now = new Date('2026-03-01T12:00:00Z');
const alice: KnownToken = {
  tokenId: '6f1c2a4e-8a55-4b8e-9d61-0c1b7b0f8a11',
  name: 'alice@example.com',
  role: 'auditor',
  expiresAt: null,
  revokedAt: null,
};
const route = 'GET /audit/events';

describe('deciding who may call a route', () => {
  it('lets a known, live token with an allowed role through, as its holder', () => {
    expect(decideAccess(parseBearer('Bearer cvy_x'), alice, now, ['auditor', 'admin'], route)).toEqual({
      ok: true,
      caller: { tokenId: alice.tokenId, name: 'alice@example.com', role: 'auditor' },
    });
  });

  it('answers 401, saying why, to no header, a malformed one, an unknown, revoked or expired token', () => {
    const allowed = ['auditor'] as const;
    expect(decideAccess(parseBearer(undefined), null, now, allowed, route)).toEqual({
      ok: false,
      status: 401,
      message: 'no API token: send Authorization: Bearer <token>',
    });
    expect(decideAccess(parseBearer('Basic abc'), null, now, allowed, route)).toMatchObject({ status: 401 });
    expect(decideAccess(parseBearer('Bearer cvy_x'), null, now, allowed, route)).toEqual({
      ok: false,
      status: 401,
      message: 'unknown or revoked API token',
    });
    // Revoked, even "in the future" by another clock: revocation is final as soon as it is known.
    const revoked = { ...alice, revokedAt: new Date('2026-03-01T12:00:05Z') };
    expect(decideAccess(parseBearer('Bearer cvy_x'), revoked, now, allowed, route)).toMatchObject({
      status: 401,
    });
    const expired = { ...alice, expiresAt: new Date('2026-03-01T12:00:00Z') };
    expect(decideAccess(parseBearer('Bearer cvy_x'), expired, now, allowed, route)).toEqual({
      ok: false,
      status: 401,
      message: 'the API token expired at 2026-03-01T12:00:00.000Z',
    });
    const strange = { ...alice, role: 'root' };
    expect(decideAccess(parseBearer('Bearer cvy_x'), strange, now, allowed, route)).toMatchObject({
      status: 401,
    });
  });

  it('answers 403 naming the role and the allowed ones, and fails closed on a route that declares none', () => {
    const bob = { ...alice, name: 'bob', role: 'deployer' };
    expect(decideAccess(parseBearer('Bearer cvy_x'), bob, now, ['auditor', 'admin'], route)).toEqual({
      ok: false,
      status: 403,
      message: 'role deployer may not GET /audit/events; allowed roles: auditor, admin',
      caller: { tokenId: alice.tokenId, name: 'bob', role: 'deployer' },
    });
    expect(decideAccess(parseBearer('Bearer cvy_x'), alice, now, null, route)).toMatchObject({
      status: 403,
      message: 'GET /audit/events declares no role, so nobody may call it',
    });
  });

  it('knows tokens by the sha256 of their secret', () => {
    expect(hashApiToken('cvy_x')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken('cvy_x')).not.toBe(hashApiToken('cvy_y'));
  });
});
