import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeyPair } from './ed25519-keys';

export interface WrittenKeyPair {
  keyId: string;
  privateKeyPath: string;
  publicKeyPath: string;
}

const keyNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * Generates an Ed25519 pair and writes `<name>.key.pem` (mode 0600) and `<name>.pub.pem`
 * (mode 0644) into `dir`. Refuses to overwrite an existing key. Used by `tools/keys/generate.ts`
 * and by `conveyor keys generate`.
 */
export async function writeSigningKeyPair(dir: string, name = 'orchestrator'): Promise<WrittenKeyPair> {
  if (!keyNamePattern.test(name)) {
    throw new Error(`key name "${name}" must be 1-63 letters, digits, dots, dashes or underscores`);
  }
  const pair = generateSigningKeyPair();
  const privateKeyPath = join(dir, `${name}.key.pem`);
  const publicKeyPath = join(dir, `${name}.pub.pem`);
  await mkdir(dir, { recursive: true });
  // 'wx' fails if the file exists: an old key is never silently replaced.
  try {
    await writeFile(privateKeyPath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(
        `${privateKeyPath} already exists; refusing to overwrite a signing key (choose another --name)`,
      );
    }
    throw error;
  }
  try {
    await writeFile(publicKeyPath, pair.publicKeyPem, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    await unlink(privateKeyPath); // no private key without its public half
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`${publicKeyPath} already exists; refusing to overwrite it (choose another --name)`);
    }
    throw error;
  }
  return { keyId: pair.keyId, privateKeyPath, publicKeyPath };
}
