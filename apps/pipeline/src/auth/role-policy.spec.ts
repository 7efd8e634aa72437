import { hashApiToken, generateApiToken, parseBearer } from './api-token.codec';
import { mayPromoteTo } from './role-policy';

describe('API tokens', () => {
  it('are cvy_ and 32 random bytes, and are stored as sha256 hex only', () => {
    const token = generateApiToken();
    expect(token).toMatch(/^cvy_[A-Za-z0-9_-]{43}$/);
    expect(generateApiToken()).not.toBe(token);
    expect(hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken(token)).not.toContain(token.slice(4));
  });

  it('say why a header is not a bearer token', () => {
    expect(parseBearer(undefined)).toEqual({
      ok: false,
      reason: 'no API token: send Authorization: Bearer <token>',
    });
    expect(parseBearer('Basic abc')).toEqual({
      ok: false,
      reason: 'the Authorization header must be "Bearer <token>"',
    });
    expect(parseBearer('Bearer cvy_x')).toEqual({ ok: true, token: 'cvy_x' });
  });
});

describe('who may promote where', () => {
  it('lets ci promote only to environments without approvals', () => {
    expect(mayPromoteTo('ci', 0)).toEqual({ ok: true });
    expect(mayPromoteTo('ci', 2)).toEqual({
      ok: false,
      reason:
        'role ci may only promote to environments without approvals; this one needs 2 (use a deployer token)',
    });
    expect(mayPromoteTo('deployer', 2)).toEqual({ ok: true });
  });
});
