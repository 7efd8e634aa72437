import { errorMessage } from '@conveyor/errors';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as extractTar, list as listTar } from 'tar';
import { open as openZip, type Entry, type ZipFile } from 'yauzl';
import { ArchiveError } from './artifact.errors';
import { archiveFormatOf, isSafeEntryPath } from './archive.format';

/** One file found in an archive. */
export interface ArchiveListing {
  readonly path: string;
  readonly size: number;
  readonly mode: number;
}

/** Lists the files (not directories) of a .tar.gz or .zip archive. */
export async function listArchiveEntries(archivePath: string): Promise<ArchiveListing[]> {
  const listing: ArchiveListing[] = [];
  if (archiveFormatOf(archivePath) === 'tar.gz') {
    await wrap(archivePath, () =>
      listTar({
        file: archivePath,
        strict: true,
        onReadEntry: (entry) => {
          if (entry.type === 'File')
            listing.push({ path: entry.path, size: entry.size, mode: (entry.mode ?? 0) & 0o777 });
        },
      }),
    );
    return listing;
  }
  await forEachZipEntry(archivePath, (entry) => {
    listing.push({ path: entry.fileName, size: entry.uncompressedSize, mode: zipMode(entry) });
    return Promise.resolve();
  });
  return listing;
}

/** Extracts a .tar.gz or .zip archive into `destDir` (created if missing); refuses entries escaping it. */
export async function extractArchive(archivePath: string, destDir: string): Promise<void> {
  await mkdir(destDir, { recursive: true });
  if (archiveFormatOf(archivePath) === 'tar.gz') {
    const unsafePaths: string[] = [];
    await wrap(archivePath, () =>
      extractTar({
        file: archivePath,
        cwd: destDir,
        strict: true,
        filter: (path) => {
          if (isSafeEntryPath(path)) return true;
          unsafePaths.push(path);
          return false;
        },
      }),
    );
    if (unsafePaths.length > 0) {
      throw new ArchiveError(
        archivePath,
        `entries escape the release dir: ${unsafePaths.map((path) => JSON.stringify(path)).join(', ')}`,
      );
    }
    return;
  }
  await forEachZipEntry(archivePath, async (entry, zip) => {
    const target = join(destDir, entry.fileName);
    await mkdir(dirname(target), { recursive: true });
    const stream = await new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))),
    );
    await pipeline(stream, createWriteStream(target));
    const mode = zipMode(entry);
    if (mode !== 0) await chmod(target, mode);
  });
}

function zipMode(entry: Entry): number {
  return (entry.externalFileAttributes >>> 16) & 0o777;
}

/** Visits every file entry of a zip, one at a time; directories are skipped. */
async function forEachZipEntry(
  archivePath: string,
  visit: (entry: Entry, zip: ZipFile) => Promise<void>,
): Promise<void> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    openZip(archivePath, { lazyEntries: true }, (error, opened) =>
      error
        ? reject(new ArchiveError(archivePath, `not a readable zip (${error.message})`))
        : resolve(opened),
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) =>
        reject(new ArchiveError(archivePath, `corrupt zip (${error.message})`)),
      );
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        if (!isSafeEntryPath(entry.fileName)) {
          reject(
            new ArchiveError(archivePath, `entry ${JSON.stringify(entry.fileName)} escapes the release dir`),
          );
          return;
        }
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        visit(entry, zip).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function wrap(archivePath: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error: unknown) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(archivePath, `corrupt or unreadable tar.gz (${errorMessage(error)})`);
  }
}
