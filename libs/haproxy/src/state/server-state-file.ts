import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HaproxyParseError } from '../errors/haproxy-errors';
import { withStateFileLock, type StateFileLockOptions } from './state-file-lock';

/** What can dump the servers' state: the stats socket client, or a master CLI call on a worker. */
export interface ServerStateSource {
  command(text: string): Promise<string>;
}

/**
 * Checks that a `show servers state` answer is a dump HAProxy can load again: format version 1,
 * the column header, and nothing else (an error text written into the file would be loaded as
 * garbage, or not at all, at the next start).
 */
export function assertServerStateDump(text: string): void {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '1') {
    throw new HaproxyParseError(
      'show servers state',
      `expected format version "1" on the first line, got "${(lines[0] ?? '').slice(0, 80)}"`,
    );
  }
  if (!lines[1]?.startsWith('# be_id be_name srv_id srv_name')) {
    throw new HaproxyParseError('show servers state', 'the column header is missing on the second line');
  }
}

/**
 * Dumps `show servers state` and writes it to `path` atomically: a temporary file in the same
 * directory, flushed to disk, then renamed over `path`. HAProxy reads that file
 * (`server-state-file` + `load-server-state-from-file global`) when a new process starts, so
 * a reload keeps every server's admin state (maint, drain) instead of resetting it to ready.
 * Returns the dump written. Holds the file's lock (`<path>.lock`, see `withStateFileLock`) from the
 * dump to the rename, and waits while the reload hook holds it.
 */
export async function saveServerState(
  source: ServerStateSource,
  path: string,
  lock: StateFileLockOptions = {},
): Promise<string> {
  // Dump and rename under the file's lock: a dump never replaces a newer one a reload relies on.
  return withStateFileLock(path, () => dumpInto(source, path), lock);
}

async function dumpInto(source: ServerStateSource, path: string): Promise<string> {
  const dump = await source.command('show servers state');
  assertServerStateDump(dump);
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`,
  );
  const file = await open(temporary, 'w', 0o644);
  try {
    await file.writeFile(dump, 'utf8');
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return dump;
}
