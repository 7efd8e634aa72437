import { signCheckpoint, verifyCheckpoint } from './checkpoint';
import { generateSigningKeyPair, SigningKeyError } from '@conveyor/signing-keys';

const auditKey = generateSigningKeyPair();
const otherKey = generateSigningKeyPair();
const checkpoint = { seq: 1200, headHash: 'ab'.repeat(32), time: '2025-03-01T12:00:00.000Z' };

describe('signed checkpoints', () => {
  it('verifies with the public key of the key that signed it', () => {
    const signed = signCheckpoint(checkpoint, auditKey.privateKeyPem);
    expect(signed).toMatchObject({ ...checkpoint, keyId: auditKey.keyId });
    expect(verifyCheckpoint(signed, auditKey.publicKeyPem)).toEqual({ ok: true });
  });

  it('fails with another public key, naming both key ids', () => {
    const signed = signCheckpoint(checkpoint, auditKey.privateKeyPem);
    const result = verifyCheckpoint(signed, otherKey.publicKeyPem);
    expect(result).toMatchObject({ ok: false, reason: 'key-id-mismatch' });
    expect(result.ok ? '' : result.message).toContain(auditKey.keyId);
    expect(result.ok ? '' : result.message).toContain(otherKey.keyId);
  });

  it('fails when signed by another key that claims the right key id', () => {
    const forged = { ...signCheckpoint(checkpoint, otherKey.privateKeyPem), keyId: auditKey.keyId };
    expect(verifyCheckpoint(forged, auditKey.publicKeyPem)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it.each([
    ['seq', { seq: 1201 }],
    ['headHash', { headHash: 'ac'.repeat(32) }],
    ['time', { time: '2025-03-01T12:00:01.000Z' }],
  ])('fails when its %s is changed after signing', (_field, change) => {
    const altered = { ...signCheckpoint(checkpoint, auditKey.privateKeyPem), ...change };
    expect(verifyCheckpoint(altered, auditKey.publicKeyPem)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });
});

describe('checkpoint keys', () => {
  it('refuses to sign with anything but an Ed25519 private key', () => {
    expect(() => signCheckpoint(checkpoint, auditKey.publicKeyPem)).toThrow(SigningKeyError);
    expect(auditKey.keyId).not.toBe(otherKey.keyId);
  });
});
