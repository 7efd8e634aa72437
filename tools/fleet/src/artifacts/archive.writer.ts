import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createTar } from 'tar';
import { ZipFile } from 'yazl';
import { ArchiveError } from './artifact.errors';
import { isSafeEntryPath, type ArchiveEntry, type ArchiveFormat } from './archive.format';

/** Every entry gets this mtime, so the same inputs always give the same bytes (and sha256). */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

/** Writes `entries` to `outPath` as a tar.gz or zip archive. */
export async function writeArchive(
  format: ArchiveFormat,
  entries: readonly ArchiveEntry[],
  outPath: string,
): Promise<void> {
  for (const entry of entries) {
    if (!isSafeEntryPath(entry.path))
      throw new ArchiveError(outPath, `entry path ${JSON.stringify(entry.path)} is not relative`);
  }
  switch (format) {
    case 'tar.gz':
      return writeTarGz(entries, outPath);
    case 'zip':
      return writeZip(entries, outPath);
  }
}

async function writeTarGz(entries: readonly ArchiveEntry[], outPath: string): Promise<void> {
  const stagingDir = await mkdtemp(join(tmpdir(), 'conveyor-artifact-'));
  try {
    for (const entry of entries) {
      const stagedPath = join(stagingDir, entry.path);
      await mkdir(dirname(stagedPath), { recursive: true });
      await writeFile(stagedPath, entry.content);
      await chmod(stagedPath, entry.mode);
    }
    await createTar(
      { file: outPath, gzip: true, portable: true, mtime: FIXED_MTIME, cwd: stagingDir },
      entries.map((entry) => entry.path),
    );
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

async function writeZip(entries: readonly ArchiveEntry[], outPath: string): Promise<void> {
  const zip = new ZipFile();
  for (const entry of entries) {
    zip.addBuffer(entry.content, entry.path, { mtime: FIXED_MTIME, mode: 0o100000 | entry.mode });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outPath));
}
