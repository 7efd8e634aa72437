import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { generateSigningKeyPair, keyIdOf, loadPrivateKey, loadTrustedKeys } from './signing-keys';

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
});

describe('loadPrivateKey', () => {
  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => loadPrivateKey(rsa)).toThrow(
      'signing key must be an Ed25519 private key, got a rsa private key',
    );
  });
});

describe('loadTrustedKeys', () => {
  const first = generateSigningKeyPair();
  const second = generateSigningKeyPair();

  it('keys several public keys by key id, for rotation', () => {
    const keys = loadTrustedKeys([first.publicKeyPem, second.publicKeyPem]);
    expect([...keys.keys()].sort()).toEqual([first.keyId, second.keyId].sort());
  });

  it('refuses private keys, RSA keys and garbage, naming every bad entry', () => {
    const rsaPublic = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => loadTrustedKeys([first.publicKeyPem, first.privateKeyPem, rsaPublic, 'not a key'])).toThrow(
      /trusted key #2 is a private key.*trusted key #3 is a rsa key, not Ed25519.*trusted key #4 is not a PEM public key/,
    );
  });

  it('refuses an empty list', () => {
    expect(() => loadTrustedKeys([])).toThrow('none given');
  });
});
