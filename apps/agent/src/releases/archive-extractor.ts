import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, Unpack, type ReadEntry } from 'tar';
import { open as openZip, type Entry, type ZipFile } from 'yauzl';
import {
  ArchiveEntryPolicy,
  DEFAULT_EXTRACT_LIMITS,
  type ArchiveEntryKind,
  type ExtractLimits,
} from './archive-entry.policy';

export { isSafeEntryPath } from './archive-entry.policy';
export type ArchiveFormat = 'tar.gz' | 'zip';

/** Longest symlink target read from a zip entry. */
const MAX_ZIP_LINK_BYTES = 4096;

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

/**
 * Extracts a tar.gz or zip into `destDir` (a fresh, empty directory). Every entry is judged by
 * ArchiveEntryPolicy before it is written; the first refused entry stops the extraction with its
 * reason (the caller removes the partial directory). Throws on a corrupt archive too.
 */
export async function extractArchive(
  archivePath: string,
  destDir: string,
  limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS,
): Promise<void> {
  await mkdir(destDir, { recursive: true });
  if ((await sniffArchiveFormat(archivePath)) === 'tar.gz') {
    // Judged in full before anything is written, then judged again while writing.
    await checkTar(archivePath, new ArchiveEntryPolicy(limits));
    await extractTar(archivePath, destDir, new ArchiveEntryPolicy(limits));
  } else await extractZip(archivePath, destDir, new ArchiveEntryPolicy(limits), limits);
}

function tarKind(type: ReadEntry['type']): ArchiveEntryKind {
  switch (type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
      return 'directory';
    case 'SymbolicLink':
      return 'symlink';
    case 'Link':
      return 'hardlink';
    default:
      return 'other';
  }
}

function tarEntryInfo(path: string, entry: ReadEntry) {
  return {
    path,
    kind: tarKind(entry.type),
    linkpath: entry.linkpath,
    size: entry.size ?? 0,
    typeName: entry.type,
  };
}

/** Reads the whole tar.gz without writing anything; rejects with the first refused entry or corruption. */
async function checkTar(archivePath: string, policy: ArchiveEntryPolicy): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let refused: Error | undefined;
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      const problem = refused === undefined ? policy.check(tarEntryInfo(entry.path, entry)) : undefined;
      if (problem !== undefined) {
        refused = new Error(problem);
        parser.abort(refused);
      }
      entry.resume();
    });
    parser.on('error', (error: Error) => reject(refused ?? error));
    parser.on('end', () => (refused === undefined ? resolve() : reject(refused)));
    const input = createReadStream(archivePath);
    input.on('error', reject);
    input.pipe(parser);
  });
}

async function extractTar(archivePath: string, destDir: string, policy: ArchiveEntryPolicy): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let refused: Error | undefined;
    const unpack = new Unpack({
      cwd: destDir,
      strict: true,
      preservePaths: false,
      // Ownership is never taken from the archive, even as root.
      preserveOwner: false,
      filter: (path, entry) => {
        if (refused !== undefined) return false;
        const problem = policy.check(tarEntryInfo(path, entry as ReadEntry));
        if (problem === undefined) return true;
        refused = new Error(problem);
        unpack.abort(refused);
        return false;
      },
    });
    unpack.on('error', (error: Error) => reject(refused ?? error));
    unpack.on('close', () => (refused === undefined ? resolve() : reject(refused)));
    const input = createReadStream(archivePath);
    input.on('error', reject);
    input.pipe(unpack);
  });
}

function zipKind(entry: Entry): ArchiveEntryKind {
  if (entry.fileName.endsWith('/')) return 'directory';
  const type = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (type === 0o120000) return 'symlink';
  if (type === 0 || type === 0o100000) return 'file';
  if (type === 0o040000) return 'directory';
  return 'other';
}

async function extractZip(
  archivePath: string,
  destDir: string,
  policy: ArchiveEntryPolicy,
  limits: ExtractLimits,
): Promise<void> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    openZip(archivePath, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new Error(`more than ${limits.maxEntries} entries (AGENT_MAX_EXTRACT_ENTRIES)`);
    const written = { bytes: 0 };
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        writeZipEntry(zip, entry, destDir, policy, limits, written).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function writeZipEntry(
  zip: ZipFile,
  entry: Entry,
  destDir: string,
  policy: ArchiveEntryPolicy,
  limits: ExtractLimits,
  written: { bytes: number },
): Promise<void> {
  const kind = zipKind(entry);
  const linkpath =
    kind === 'symlink' ? (await readZipEntry(zip, entry, MAX_ZIP_LINK_BYTES)).toString('utf8') : undefined;
  const problem = policy.check({
    path: entry.fileName,
    kind,
    linkpath,
    size: entry.uncompressedSize,
    typeName: 'special file',
  });
  if (problem !== undefined) throw new Error(problem);
  const target = join(destDir, entry.fileName);
  if (kind === 'directory') {
    await mkdir(target, { recursive: true });
    return;
  }
  await mkdir(dirname(target), { recursive: true });
  if (kind === 'symlink') {
    await symlink(linkpath ?? '', target);
    return;
  }
  const stream = await openZipStream(zip, entry);
  // Counts what is really inflated, whatever the entry declares (a zip bomb stops here).
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written.bytes += chunk.length;
      if (written.bytes > limits.maxBytes)
        callback(new Error(`unpacks to more than ${limits.maxBytes} bytes (AGENT_MAX_EXTRACT_BYTES)`));
      else callback(null, chunk);
    },
  });
  // 'wx': never through an existing file or link.
  await pipeline(stream, counter, createWriteStream(target, { flags: 'wx', mode: 0o644 }));
  const mode = (entry.externalFileAttributes >>> 16) & 0o777;
  if (mode !== 0) await chmod(target, mode);
}

function openZipStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))),
  );
}

async function readZipEntry(zip: ZipFile, entry: Entry, maxBytes: number): Promise<Buffer> {
  const stream = await openZipStream(zip, entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new Error(
        `zip entry ${JSON.stringify(entry.fileName)}: link target longer than ${maxBytes} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
