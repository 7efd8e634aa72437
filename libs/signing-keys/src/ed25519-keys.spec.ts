import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  generateSigningKeyPair,
  keyIdOf,
  loadPrivateKey,
  loadPublicKey,
  SigningKeyError,
} from './ed25519-keys';

describe('generateSigningKeyPair', () => {
  it('makes an Ed25519 pair as PEM whose key id is the first 16 hex chars of sha256 of the public DER', () => {
    const pair = generateSigningKeyPair();
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const der = createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(pair.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(createPublicKey(pair.publicKeyPem).asymmetricKeyType).toBe('ed25519');
  });

  it('makes a different pair each time', () => {
    expect(generateSigningKeyPair().keyId).not.toBe(generateSigningKeyPair().keyId);
  });
});

describe('keyIdOf', () => {
  it('gives the same id for a private key and its public half', () => {
    const pair = generateSigningKeyPair();
    expect(keyIdOf(loadPrivateKey(pair.privateKeyPem))).toBe(pair.keyId);
    expect(keyIdOf(pair.publicKeyPem)).toBe(pair.keyId);
  });

  it('refuses a PEM that is not an Ed25519 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => keyIdOf(rsa)).toThrow(new SigningKeyError('expected an Ed25519 public key, got rsa'));
    expect(() => keyIdOf('hello')).toThrow(/not a readable public key PEM/);
  });
});

describe('loadPrivateKey', () => {
  it('refuses a key that is not Ed25519, and a public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => loadPrivateKey(rsa)).toThrow(
      new SigningKeyError('expected an Ed25519 private key, got rsa private key'),
    );
    expect(() => loadPrivateKey(generateSigningKeyPair().publicKeyPem)).toThrow(
      /not a readable private key PEM/,
    );
  });
});

describe('loadPublicKey', () => {
  it('refuses a private key rather than quietly using its public half', () => {
    expect(() => loadPublicKey(generateSigningKeyPair().privateKeyPem)).toThrow(
      new SigningKeyError('is a private key, not a public key; hand out only public keys'),
    );
  });
});
