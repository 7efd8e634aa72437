import { errorMessage } from '@conveyor/errors';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

export interface SigningKeyPairPem {
  /** PKCS#8 PEM; keep it secret (the audit service only). */
  readonly privateKeyPem: string;
  /** SPKI PEM; hand it to auditors. */
  readonly publicKeyPem: string;
  readonly keyId: string;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** Number of hex characters of the SHA-256 fingerprint used as key id (64 bits). */
export const KEY_ID_LENGTH = 16;

export function generateSigningKeyPair(): SigningKeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
    keyId: keyIdOf(publicKey),
  };
}

export function loadPublicKey(publicKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch (error) {
    throw new SigningKeyError(`not a readable public key PEM: ${errorMessage(error)}`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(`expected an Ed25519 public key, got ${String(key.asymmetricKeyType)}`);
  return key;
}

export function loadPrivateKey(privateKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new SigningKeyError(`not a readable private key PEM: ${errorMessage(error)}`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(`expected an Ed25519 private key, got ${String(key.asymmetricKeyType)}`);
  return key;
}

/**
 * Key id: the first 16 hex characters of SHA-256 over the public key's DER (SPKI) encoding.
 * Same as `openssl pkey -pubin -in key.pem -outform DER | sha256sum | cut -c1-16`.
 * Accepts a public key, a private key (its public half is used) or a public key PEM.
 */
export function keyIdOf(key: KeyObject | string): string {
  const keyObject =
    typeof key === 'string' ? loadPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  const der = keyObject.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, KEY_ID_LENGTH);
}
