import { errorMessage } from '@conveyor/errors';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { signCheckpoint } from '@conveyor/audit-chain';
import { generateSigningKeyPair, keyIdOf, SigningKeyError } from '@conveyor/signing-keys';
import type { Logger } from '@conveyor/observability';

export interface AuditSigningKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly keyId: string;
}

const PRIVATE_FILE = 'audit-signing-key.pem';
const PUBLIC_FILE = 'audit-public.pem';

/**
 * The audit service's Ed25519 key: AUDIT_SIGNING_KEY (a PEM, or the path of one), checked by
 * signing a test checkpoint. Without it, only when `generate` (AUDIT_GENERATE_KEY=true, development)
 * a key is generated once into the data directory and reused; its public key is written beside it.
 */
export async function loadSigningKey(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
  generate = false,
): Promise<AuditSigningKey> {
  if (configured !== undefined) {
    const pem = configured.includes('-----BEGIN') ? configured : await readKeyFile(configured);
    return describeKey(pem);
  }
  if (!generate)
    throw new SigningKeyError(
      'AUDIT_SIGNING_KEY: is required (every replica must sign with the same key); AUDIT_GENERATE_KEY=true generates one in development',
    );
  const directory = resolve(dataDir);
  const privatePath = join(directory, PRIVATE_FILE);
  const publicPath = join(directory, PUBLIC_FILE);
  if (!existsSync(privatePath)) {
    const pair = generateSigningKeyPair();
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(publicPath, pair.publicKeyPem);
    logger.warn(
      { keyId: pair.keyId, publicKeyPath: publicPath },
      'AUDIT_SIGNING_KEY is not set: generated a development signing key',
    );
  }
  const key = describeKey(await readKeyFile(privatePath));
  if (!existsSync(publicPath)) await writeFile(publicPath, key.publicKeyPem);
  logger.info(
    { keyId: key.keyId, publicKeyPath: publicPath },
    'audit signing key loaded from the data directory',
  );
  return key;
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new SigningKeyError(`AUDIT_SIGNING_KEY: cannot read ${path}: ${errorMessage(error)}`);
  }
}

function describeKey(privateKeyPem: string): AuditSigningKey {
  try {
    // Signing proves it is an Ed25519 private key before the service takes any event.
    signCheckpoint({ seq: 1, headHash: '0'.repeat(64), time: new Date(0).toISOString() }, privateKeyPem);
    const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
    return { privateKeyPem, publicKeyPem, keyId: keyIdOf(publicKeyPem) };
  } catch (error) {
    throw new SigningKeyError(`AUDIT_SIGNING_KEY: ${errorMessage(error)}`);
  }
}
