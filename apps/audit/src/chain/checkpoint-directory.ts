import { errorMessage } from '@conveyor/errors';
import { constants } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointFileName, checkpointFileText, type SignedCheckpoint } from '@conveyor/audit-chain';

export type CheckpointFileOutcome = 'written' | 'already-published';

/**
 * The append-only directory of AUDIT_CHECKPOINT_DIR: one file per signed checkpoint
 * (`checkpoint-<seq>.json`), created with O_EXCL and never overwritten, so a checkpoint survives
 * whatever happens to the database. Point it at storage the database's administrators cannot
 * rewrite (another host, a WORM or object-lock bucket synced from it, `chattr +a`).
 */
export class CheckpointDirectory {
  private constructor(readonly path: string) {}

  /** Refuses a path that is not a directory this process may create files in. */
  static async open(path: string): Promise<CheckpointDirectory> {
    try {
      const info = await stat(path);
      if (!info.isDirectory()) throw new Error('not a directory');
      await access(path, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw new Error(
        `AUDIT_CHECKPOINT_DIR (${path}) must be a directory the audit service can create files in: ${errorMessage(error)}`,
      );
    }
    return new CheckpointDirectory(path);
  }

  /**
   * Writes the checkpoint's file (O_CREAT | O_EXCL, mode 0444, flushed to disk). A file already
   * there with the same content is fine (published before a restart); one with other content is
   * never replaced: that is an error naming both.
   */
  async publish(checkpoint: SignedCheckpoint): Promise<CheckpointFileOutcome> {
    const file = join(this.path, checkpointFileName(checkpoint.seq));
    const text = checkpointFileText(checkpoint);
    try {
      const handle = await open(file, 'wx', 0o444);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.datasync();
      } finally {
        await handle.close();
      }
      return 'written';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = await readFile(file, 'utf8');
      if (existing === text) return 'already-published';
      throw new Error(
        `${file} already holds another checkpoint for seq ${checkpoint.seq}; it is never overwritten (the new one has hash ${checkpoint.headHash})`,
      );
    }
  }
}
