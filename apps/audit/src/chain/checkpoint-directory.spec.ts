import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointFileName, signCheckpoint } from '@conveyor/audit-chain';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { CheckpointDirectory } from './checkpoint-directory';

describe('CheckpointDirectory (AUDIT_CHECKPOINT_DIR)', () => {
  const keys = generateSigningKeyPair();
  const checkpoint = (seq: number, hashDigit: string) =>
    signCheckpoint(
      { seq, headHash: hashDigit.repeat(64), time: '2026-01-01T00:00:00.000Z' },
      keys.privateKeyPem,
    );
  let path: string;

  beforeEach(async () => {
    path = await mkdtemp(join(tmpdir(), 'checkpoint-dir-'));
  });
  afterEach(async () => {
    await chmod(path, 0o700).catch(() => undefined);
    await rm(path, { recursive: true, force: true });
  });

  it('writes one read-only file per checkpoint, named by seq, holding the signed checkpoint', async () => {
    const directory = await CheckpointDirectory.open(path);
    expect(await directory.publish(checkpoint(7, 'a'))).toBe('written');
    expect(await readdir(path)).toEqual([checkpointFileName(7)]);
    expect(JSON.parse(await readFile(join(path, checkpointFileName(7)), 'utf8'))).toEqual(checkpoint(7, 'a'));
  });

  it('accepts the same checkpoint again, and never overwrites a file with another one', async () => {
    const directory = await CheckpointDirectory.open(path);
    const first = checkpoint(7, 'a');
    await directory.publish(first);
    expect(await directory.publish(first)).toBe('already-published');
    await expect(directory.publish(checkpoint(7, 'b'))).rejects.toThrow(
      /already holds another checkpoint for seq 7; it is never overwritten/,
    );
    expect(JSON.parse(await readFile(join(path, checkpointFileName(7)), 'utf8'))).toEqual(first);
  });

  it('refuses a path that is missing, a file, or (for a non-root user) not writable', async () => {
    await expect(CheckpointDirectory.open(join(path, 'missing'))).rejects.toThrow(
      /^AUDIT_CHECKPOINT_DIR \(.*missing\) must be a directory/,
    );
    await writeFile(join(path, 'file'), '');
    await expect(CheckpointDirectory.open(join(path, 'file'))).rejects.toThrow(/not a directory/);
    if (process.getuid?.() !== 0) {
      await chmod(path, 0o500);
      await expect(CheckpointDirectory.open(path)).rejects.toThrow(/EACCES/);
    }
  });
});
