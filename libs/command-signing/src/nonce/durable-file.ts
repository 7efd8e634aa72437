import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Flushes a directory entry (a create or rename) to disk. Windows cannot open directories: skipped there. */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `content` so that after a crash the file holds either the old or the
 * new content, never a mix: write a temporary file, fsync it, rename it over, fsync the directory.
 */
export async function replaceFileDurably(path: string, content: string, mode = 0o600): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await fsyncDirectory(dirname(path));
}
