import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A secret file larger than this is refused (a password or a credentials list, never a blob). */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Why a file may not hold a secret, or undefined when it may: it must be a regular file and, on
 * POSIX, readable by its owner only (no group or world bits). Pure, for tests.
 */
export function secretFileProblem(
  variable: string,
  path: string,
  info: { isFile: boolean; mode: number; size: number },
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (!info.isFile) return `${variable}: ${path} is not a regular file`;
  if (info.size > MAX_SECRET_FILE_BYTES)
    return `${variable}: ${path} is larger than ${MAX_SECRET_FILE_BYTES} bytes`;
  // Windows has no mode bits: protect the file with an ACL (deploy/agent/README.md).
  if (platform !== 'win32' && (info.mode & 0o077) !== 0)
    return `${variable}: ${path} is readable or writable by group or others (mode ${(info.mode & 0o777)
      .toString(8)
      .padStart(4, '0')}); run chmod 600 on it`;
  return undefined;
}

/**
 * Reads a secret from a file named by `variable` (e.g. AMQP_PASSWORD_FILE), refusing one that is
 * not a regular file, too large, or readable by others. Opened without following a FIFO's block
 * (O_NONBLOCK) and checked on the open descriptor, so what is checked is what is read.
 * Throws an Error naming the variable and the path, never the content.
 */
export function readSecretFile(variable: string, path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`${variable}: cannot open ${path} (${code})`);
  }
  try {
    const stats = fstatSync(fd);
    const problem = secretFileProblem(variable, path, {
      isFile: stats.isFile(),
      mode: stats.mode,
      size: stats.size,
    });
    if (problem !== undefined) throw new Error(problem);
    const buffer = Buffer.alloc(stats.size);
    let read = 0;
    while (read < stats.size) {
      const n = readSync(fd, buffer, read, stats.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
