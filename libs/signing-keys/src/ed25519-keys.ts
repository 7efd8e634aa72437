import { errorMessage } from '@conveyor/errors';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/** An Ed25519 key pair as PEM text, with its key id. */
export interface SigningKeyPair {
  /** PKCS#8 PEM. Secret: only its owner (orchestrator or audit service) reads it; never log it. */
  readonly privateKeyPem: string;
  /** SPKI PEM: what agents trust and auditors are handed. */
  readonly publicKeyPem: string;
  readonly keyId: string;
}

/** A key that is not an Ed25519 key of the kind asked for, or text that is not a key. */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** Number of hex characters of the SHA-256 fingerprint used as key id (64 bits). */
export const KEY_ID_LENGTH = 16;

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/**
 * Reads an Ed25519 private key (PKCS#8 PEM or KeyObject). Throws `SigningKeyError` for text that
 * is not a private key and for any other kind of key.
 */
export function loadPrivateKey(privateKey: KeyObject | string): KeyObject {
  let key: KeyObject;
  try {
    key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  } catch (error) {
    throw new SigningKeyError(`not a readable private key PEM: ${errorMessage(error)}`);
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(
      `expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'a secret'} ${key.type} key`,
    );
  }
  return key;
}

/**
 * Reads an Ed25519 public key (SPKI PEM). A private key is refused, not silently reduced to its
 * public half: whoever is handed a private key where a public one belongs has been given a secret.
 */
export function loadPublicKey(publicKeyPem: string): KeyObject {
  if (/PRIVATE KEY-----/.test(publicKeyPem)) {
    throw new SigningKeyError('is a private key, not a public key; hand out only public keys');
  }
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch (error) {
    throw new SigningKeyError(`not a readable public key PEM: ${errorMessage(error)}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`expected an Ed25519 public key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}

/**
 * Key id: the first 16 hex characters of SHA-256 over the public key's DER (SPKI) encoding.
 * Same as `openssl pkey -pubin -in key.pem -outform DER | sha256sum | cut -c1-16`.
 * Accepts a public key, a private key (its public half is used) or a public key PEM.
 */
export function keyIdOf(key: KeyObject | string): string {
  const publicKey =
    typeof key === 'string' ? loadPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, KEY_ID_LENGTH);
}
