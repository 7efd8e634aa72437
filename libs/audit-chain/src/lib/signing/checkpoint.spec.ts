import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { signCheckpoint, verifyCheckpoint } from './checkpoint';
import { generateSigningKeyPair, keyIdOf, SigningKeyError } from './signing-keys';

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

describe('signing keys', () => {
  it('key id is the first 16 hex chars of SHA-256 over the public key DER', () => {
    const der = createPublicKey(auditKey.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(auditKey.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(keyIdOf(auditKey.publicKeyPem)).toBe(auditKey.keyId);
    expect(auditKey.keyId).not.toBe(otherKey.keyId);
  });

  it('refuses keys that are not Ed25519 and text that is not a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => keyIdOf(rsa)).toThrow(new SigningKeyError('expected an Ed25519 public key, got rsa'));
    expect(() => keyIdOf('hello')).toThrow(/not a readable public key PEM/);
    expect(() => signCheckpoint(checkpoint, auditKey.publicKeyPem)).toThrow(SigningKeyError);
  });
});
