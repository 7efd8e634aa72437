import { nonceSchema } from './command.schema';
import { newCommand, newNonce } from './new-command';

describe('newCommand', () => {
  it('issues now, expires after the lifetime, with a fresh id and nonce', () => {
    const now = new Date('2025-03-01T12:00:00.000Z');
    const first = newCommand({
      kind: 'rollback',
      target: { nodeIds: ['web-01'] },
      payload: {},
      now,
      lifetimeMs: 60_000,
    });
    const second = newCommand({
      kind: 'rollback',
      target: { nodeIds: ['web-01'] },
      payload: {},
      now,
      lifetimeMs: 60_000,
    });
    expect(first).toMatchObject({
      issuedAt: '2025-03-01T12:00:00.000Z',
      expiresAt: '2025-03-01T12:01:00.000Z',
    });
    expect(first.commandId).not.toBe(second.commandId);
    expect(first.nonce).not.toBe(second.nonce);
  });

  it('refuses a lifetime above one hour', () => {
    expect(() =>
      newCommand({ kind: 'deploy', target: { nodeIds: ['a'] }, payload: {}, lifetimeMs: 3_600_001 }),
    ).toThrow('at most 3600000 ms');
  });
});

describe('newNonce', () => {
  it('is valid base64url of at least 128 bits', () => {
    const nonce = newNonce();
    expect(nonceSchema.safeParse(nonce).success).toBe(true);
    expect(Buffer.from(nonce, 'base64url').length).toBeGreaterThanOrEqual(16);
  });
});
