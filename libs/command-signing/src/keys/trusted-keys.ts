import { errorMessage } from '@conveyor/errors';
import { keyIdOf, loadPublicKey } from '@conveyor/signing-keys';
import type { KeyObject } from 'node:crypto';

/** Trusted public keys by key id. Several at once during a rotation. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

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
      problems.push(`trusted key #${index + 1}: ${errorMessage(error)}`);
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
