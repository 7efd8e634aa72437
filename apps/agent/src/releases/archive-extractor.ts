import { createWriteStream } from 'node:fs';
import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as extractTar } from 'tar';
import { open as openZip, type Entry, type ZipFile } from 'yauzl';

export type ArchiveFormat = 'tar.gz' | 'zip';

/** The format from the first bytes (gzip 1f 8b, zip "PK\3\4"), whatever the URL's name says. */
export async function sniffArchiveFormat(path: string): Promise<ArchiveFormat> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'tar.gz';
    if (bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50) return 'zip';
  } finally {
    await file.close();
  }
  throw new Error('the artifact is neither a tar.gz nor a zip archive');
}

/** True when an entry path stays inside the extraction dir (relative, no ".." segment). */
export function isSafeEntryPath(entryPath: string): boolean {
  if (entryPath.length === 0 || /^([\\/]|[A-Za-z]:)/.test(entryPath)) return false;
  return !entryPath.split(/[\\/]/).includes('..');
}

/** Extracts a tar.gz or zip into `destDir`; throws on a corrupt archive or an entry escaping it. */
export async function extractArchive(archivePath: string, destDir: string): Promise<void> {
  await mkdir(destDir, { recursive: true });
  if ((await sniffArchiveFormat(archivePath)) === 'tar.gz') {
    const unsafe: string[] = [];
    await extractTar({
      file: archivePath,
      cwd: destDir,
      strict: true,
      filter: (path) => (isSafeEntryPath(path) ? true : (unsafe.push(path), false)),
    });
    if (unsafe.length > 0)
      throw new Error(
        `entries escape the release dir: ${unsafe.map((path) => JSON.stringify(path)).join(', ')}`,
      );
    return;
  }
  await extractZip(archivePath, destDir);
}

async function extractZip(archivePath: string, destDir: string): Promise<void> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    openZip(archivePath, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        if (!isSafeEntryPath(entry.fileName)) {
          reject(new Error(`entry ${JSON.stringify(entry.fileName)} escapes the release dir`));
          return;
        }
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        writeZipEntry(zip, entry, destDir).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function writeZipEntry(zip: ZipFile, entry: Entry, destDir: string): Promise<void> {
  const target = join(destDir, entry.fileName);
  await mkdir(dirname(target), { recursive: true });
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))),
  );
  await pipeline(stream, createWriteStream(target));
  const mode = (entry.externalFileAttributes >>> 16) & 0o777;
  if (mode !== 0) await chmod(target, mode);
}
