import {
  jsonPayloadSchema,
  nonceSchema,
  signatureSchema,
  signedCommandSchema,
  targetSchema,
} from './command.schema';
import { signedDeploy } from '../testing/command-fixtures';

describe('targetSchema', () => {
  it.each([
    ['node ids', { nodeIds: ['web-01'] }],
    ['facts', { facts: { service: 'billing' } }],
    ['both', { nodeIds: ['web-01'], facts: { os: 'linux' } }],
  ])('accepts a target by %s', (_label, target) => {
    expect(targetSchema.safeParse(target).success).toBe(true);
  });

  it.each([
    ['an empty target', {}, 'target must give nodeIds or facts'],
    ['an empty node id list', { nodeIds: [] }, 'must name at least one node'],
    ['empty facts', { facts: {} }, 'must hold at least one key'],
    ['an unknown selector', { nodeIds: ['web-01'], hostname: 'x' }, 'Unrecognized key'],
    ['a node id with spaces', { nodeIds: ['web 01'] }, 'letters, digits'],
  ])('refuses %s, saying why', (_label, target, message) => {
    const result = targetSchema.safeParse(target);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join('; ')).toContain(message);
  });
});

describe('nonceSchema', () => {
  it('accepts 128 bits of base64url', () => {
    expect(nonceSchema.safeParse(Buffer.alloc(16, 7).toString('base64url')).success).toBe(true);
  });

  it('refuses fewer than 128 bits', () => {
    expect(nonceSchema.safeParse(Buffer.alloc(15, 7).toString('base64url')).success).toBe(false);
  });

  it('refuses standard base64 characters and padding', () => {
    expect(nonceSchema.safeParse('abc+def/ghijklmnopqrstuv').success).toBe(false);
    expect(nonceSchema.safeParse(`${Buffer.alloc(16, 7).toString('base64url')}==`).success).toBe(false);
  });
});

describe('signatureSchema', () => {
  const canonical = Buffer.alloc(64, 0xab).toString('base64');

  it('accepts the canonical base64 of 64 bytes', () => {
    expect(signatureSchema.safeParse(canonical).success).toBe(true);
  });

  it('refuses a spelling that decodes to the same bytes through unused trailing bits', () => {
    const lastData = canonical[85]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sibling = alphabet[alphabet.indexOf(lastData) ^ 1]!;
    const variant = `${canonical.slice(0, 85)}${sibling}==`;
    expect(Buffer.from(variant, 'base64')).toEqual(Buffer.from(canonical, 'base64'));
    expect(signatureSchema.safeParse(variant).success).toBe(false);
  });

  it('refuses the wrong length', () => {
    expect(signatureSchema.safeParse(Buffer.alloc(63).toString('base64')).success).toBe(false);
  });
});

describe('signedCommandSchema', () => {
  const schema = signedCommandSchema(jsonPayloadSchema);

  it('accepts a signed command', () => {
    expect(schema.safeParse(signedDeploy()).success).toBe(true);
  });

  it('refuses an unknown top-level field, which the signature would otherwise not be expected to cover', () => {
    expect(schema.safeParse({ ...signedDeploy(), priority: 'high' }).success).toBe(false);
  });

  it('refuses an expiry not after issue', () => {
    const signed = signedDeploy();
    const result = schema.safeParse({ ...signed, expiresAt: signed.issuedAt });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['expiresAt'],
      message: 'expiresAt must be later than issuedAt',
    });
  });

  it('refuses a kind agents do not know', () => {
    expect(schema.safeParse({ ...signedDeploy(), kind: 'format-disk' }).success).toBe(false);
  });

  it('refuses times with an offset other than Z', () => {
    expect(schema.safeParse({ ...signedDeploy(), issuedAt: '2025-03-01T13:00:00+01:00' }).success).toBe(
      false,
    );
  });
});
