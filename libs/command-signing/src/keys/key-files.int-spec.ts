import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { checkCommand } from '../check/check-command';
import { MemoryNonceStore } from '../nonce/memory-nonce-store';
import { signCommand } from '../signing/sign-command';
import { agentOptions, deployCommand } from '../testing/command-fixtures';
import { writeSigningKeyPair } from '@conveyor/signing-keys';
import { loadTrustedKeys } from './trusted-keys';
import { keyIdOf } from '@conveyor/signing-keys';

describe('writeSigningKeyPair and tools/keys/generate.ts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conveyor-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a private key only its owner can read and a public key agents trust', async () => {
    const written = await writeSigningKeyPair(join(dir, 'keys'), 'orchestrator');
    expect((await stat(written.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect(written.publicKeyPath).toBe(join(dir, 'keys', 'orchestrator.pub.pem'));
    const publicPem = await readFile(written.publicKeyPath, 'utf8');
    expect(keyIdOf(publicPem)).toBe(written.keyId);

    const signed = signCommand(
      deployCommand(),
      await readFile(written.privateKeyPath, 'utf8'),
      written.keyId,
    );
    const result = await checkCommand(
      JSON.parse(JSON.stringify(signed)) as unknown,
      agentOptions({
        trustedKeys: loadTrustedKeys([publicPem]),
        nonceStore: new MemoryNonceStore(),
      }),
    );
    expect(result.ok).toBe(true);
  });

  it('refuses to overwrite an existing key and leaves it untouched', async () => {
    const first = await writeSigningKeyPair(dir, 'orchestrator');
    const before = await readFile(first.privateKeyPath, 'utf8');
    await expect(writeSigningKeyPair(dir, 'orchestrator')).rejects.toThrow(
      'refusing to overwrite a signing key',
    );
    expect(await readFile(first.privateKeyPath, 'utf8')).toBe(before);
  });

  it('refuses a key name that could escape the directory', async () => {
    await expect(writeSigningKeyPair(dir, '../evil')).rejects.toThrow('key name "../evil"');
    expect(await readdir(dir)).toEqual([]);
  });

  it('the script writes both files and prints the key id of the public key', () => {
    const root = join(__dirname, '../../../..');
    const output = execFileSync(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/keys/generate.ts', '--out', dir, '--name', 'rotation-2025'],
      { cwd: root, encoding: 'utf8' },
    );
    const keyId = /^key id ([0-9a-f]{16})$/m.exec(output)?.[1];
    expect(keyId).toBeDefined();
    return readFile(join(dir, 'rotation-2025.pub.pem'), 'utf8').then((pem) =>
      expect(keyIdOf(pem)).toBe(keyId),
    );
  });
});
