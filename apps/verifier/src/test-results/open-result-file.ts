import { errorMessage } from '@conveyor/errors';
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import type { Readable } from 'node:stream';
import type { TestResultsError } from './test-results.types';

export type OpenedResultFile = { ok: true; stream: Readable } | TestResultsError;

export const DEFAULT_MAX_RESULT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Never blocks on a FIFO (O_NONBLOCK: the open returns at once and fstat refuses it), never
 * follows a link as the last component (O_NOFOLLOW). Both are 0 where the OS has no such flag.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Opens a result file for streaming, or says why it cannot be read: it must be a regular file
 * (checked on the open descriptor, so a FIFO, device or directory is refused at once), at most
 * `maxBytes`, and, with `within`, really inside that directory.
 */
export async function openResultFile(
  path: string,
  options: { maxBytes?: number; within?: string } = {},
): Promise<OpenedResultFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESULT_FILE_BYTES;
  if (options.within !== undefined) {
    const outside = await leavesDirectory(path, options.within);
    if (outside !== undefined) return outside;
  }
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error: unknown) {
    return fileAccessError(path, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return {
        ok: false,
        kind: 'not-a-file',
        source: path,
        message: `${path} is not a regular file (a ${stats.isFIFO() ? 'FIFO' : 'directory or device'}): refused`,
      };
    }
    if (stats.size > maxBytes) {
      await handle.close();
      return tooLarge(path, maxBytes);
    }
  } catch (error: unknown) {
    await handle.close().catch(() => undefined);
    return fileAccessError(path, error);
  }
  // Reads at most one byte past the cap, so a file that grows while it is read is caught too.
  return { ok: true, stream: handle.createReadStream({ highWaterMark: 64 * 1024, start: 0, end: maxBytes }) };
}

export function tooLarge(source: string, maxBytes: number): TestResultsError {
  return {
    ok: false,
    kind: 'too-large',
    source,
    message: `${source} is larger than ${maxBytes} bytes: refused`,
  };
}

/** An error when `path`, links resolved, is not inside `dir`; undefined when it is (or does not exist yet). */
async function leavesDirectory(path: string, dir: string): Promise<TestResultsError | undefined> {
  const [real, base] = await Promise.all([
    realpath(path).catch(() => undefined),
    realpath(dir).catch(() => dir),
  ]);
  if (real === undefined) return undefined;
  const inside = relative(base, real);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return undefined;
  return {
    ok: false,
    kind: 'not-a-file',
    source: path,
    message: `${path} leads out of the suite's working directory (through a link): refused`,
  };
}

/** Maps an error met while opening or reading a file to a typed error naming the file. */
export function fileAccessError(source: string, error: unknown): TestResultsError {
  const code = errorCode(error);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return {
        ok: false,
        kind: 'file-not-found',
        source,
        message: `${source} does not exist (no result file was written?)`,
      };
    case 'ELOOP':
      return {
        ok: false,
        kind: 'not-a-file',
        source,
        message: `${source} is a symbolic link, not a result file: refused`,
      };
    case 'EISDIR':
      return {
        ok: false,
        kind: 'not-a-file',
        source,
        message: `${source} is a directory, not a result file`,
      };
    case 'EACCES':
    case 'EPERM':
      return {
        ok: false,
        kind: 'unreadable',
        source,
        message: `${source} cannot be read: permission denied`,
      };
    case undefined:
    default: {
      const detail = errorMessage(error);
      return { ok: false, kind: 'unreadable', source, message: `${source} cannot be read: ${detail}` };
    }
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
