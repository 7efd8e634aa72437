import { errorMessage } from '@conveyor/errors';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

/** Trusted public keys by key id. Several at once during a rotation. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

export interface SigningKeyPair {
  /** PKCS#8 PEM. Secret: never log it. */
  privateKeyPem: string;
  /** SPKI PEM, what agents trust. */
  publicKeyPem: string;
  keyId: string;
}

/** Key id: the first 16 hex characters of sha256 over the public key's SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Reads an Ed25519 private key (PKCS#8 PEM or KeyObject); throws if it is anything else. */
export function loadPrivateKey(privateKey: KeyObject | string): KeyObject {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `signing key must be an Ed25519 private key, got a ${key.asymmetricKeyType ?? 'secret'} ${key.type} key`,
    );
  }
  return key;
}

function loadPublicKey(pem: string): KeyObject {
  if (/PRIVATE KEY-----/.test(pem)) {
    throw new Error('is a private key; agents must be given only public keys');
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new Error(`is not a PEM public key (${errorMessage(error)})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  }
  return key;
}

/**
 * Builds the set of keys an agent trusts, keyed by key id. Give it the old and the new key
 * during a rotation. Throws once, naming every entry that is not an Ed25519 public key.
 */
export function loadTrustedKeys(pems: readonly string[]): TrustedKeys {
  const keys = new Map<string, KeyObject>();
  const problems: string[] = [];
  pems.forEach((pem, index) => {
    try {
      const key = loadPublicKey(pem);
      keys.set(keyIdOf(key), key);
    } catch (error) {
      problems.push(`trusted key #${index + 1} ${errorMessage(error)}`);
    }
  });
  if (problems.length > 0) {
    throw new Error(`cannot load trusted keys: ${problems.join('; ')}`);
  }
  if (keys.size === 0) {
    throw new Error(
      'cannot load trusted keys: none given; an agent with no trusted key would refuse every command',
    );
  }
  return keys;
}
