import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { TestResultsError } from './test-results.types';

export type OpenedResultFile = { ok: true; stream: Readable } | TestResultsError;

/** Opens a result file for streaming, or says why it cannot be read. */
export async function openResultFile(path: string): Promise<OpenedResultFile> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error: unknown) {
    return fileAccessError(path, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() && !stats.isFIFO()) {
      await handle.close();
      return {
        ok: false,
        kind: 'not-a-file',
        source: path,
        message: `${path} is not a regular file (a directory or device?)`,
      };
    }
  } catch (error: unknown) {
    await handle.close().catch(() => undefined);
    return fileAccessError(path, error);
  }
  return { ok: true, stream: handle.createReadStream({ highWaterMark: 64 * 1024 }) };
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
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, kind: 'unreadable', source, message: `${source} cannot be read: ${detail}` };
    }
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
