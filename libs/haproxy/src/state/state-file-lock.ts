import { mkdir, rm, stat } from 'node:fs/promises';

/**
 * The lock every writer of a server-state-file takes: the directory `<file>.lock` (mkdir is atomic).
 * The reload hook (deploy/haproxy/haproxy-reload.sh) holds it from its dump until the new worker has
 * started, so that no other writer — the pool manager rewriting the file after a change — can land
 * an older dump between the hook's dump and the moment the new worker reads the file.
 */
export function stateFileLockPath(stateFile: string): string {
  return `${stateFile}.lock`;
}

export interface StateFileLockOptions {
  /** Give up after this long (the hook holds the lock for a whole reload). Default 15000 ms. */
  timeoutMs?: number;
  /** A lock older than this was left by a writer that died: it is broken. Default 60000 ms. */
  staleMs?: number;
}

/** Runs `work` holding the state file's lock; throws, naming the lock, if it cannot be had in time. */
export async function withStateFileLock<T>(
  stateFile: string,
  work: () => Promise<T>,
  options: StateFileLockOptions = {},
): Promise<T> {
  const lock = stateFileLockPath(stateFile);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 60_000;
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const since = await stat(lock).then(
      (info) => info.mtimeMs,
      () => undefined,
    );
    if (since !== undefined && Date.now() - since > staleMs) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() >= giveUpAt) {
      throw new Error(
        `${lock} has been held for more than ${timeoutMs} ms (a reload in progress, or a writer that died less than ${staleMs} ms ago)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
