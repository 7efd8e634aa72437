/**
 * Archives an attacker would hand an agent, written byte by byte (the fleet's builder refuses to
 * make them): tar entries with any path, type and link target; zips with symlinks, `..` names and
 * a high compression ratio.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

/** The tar entry types these attacks use. */
type EntryTypeName = 'File' | 'Directory' | 'Link' | 'SymbolicLink' | 'FIFO' | 'CharacterDevice';
import { ZipFile } from 'yazl';

export interface HostileTarEntry {
  path: string;
  type?: EntryTypeName;
  linkpath?: string;
  content?: string;
  mode?: number;
}

/** A tar.gz of exactly these entries, in this order. */
export function hostileTarGz(entries: readonly HostileTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512);
    new Header({
      path: entry.path,
      type: entry.type ?? 'File',
      linkpath: entry.linkpath,
      size: content.length,
      mode: entry.mode ?? 0o644,
      mtime: new Date('2020-01-01T00:00:00Z'),
      uid: 0,
      gid: 0,
    }).encode(header, 0);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

export interface HostileZipEntry {
  /** Use the same length as the name it replaces when `rename` is given. */
  path: string;
  content: Buffer;
  mode?: number;
}

/** A zip of these entries; `rename` then swaps names in the bytes (e.g. "aa/x" → "../x"), which yazl would refuse. */
export async function hostileZip(
  entries: readonly HostileZipEntry[],
  outPath: string,
  rename?: { from: string; to: string },
): Promise<void> {
  const zip = new ZipFile();
  for (const entry of entries)
    zip.addBuffer(entry.content, entry.path, { mode: entry.mode ?? 0o100644, compress: true });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outPath));
  if (rename !== undefined) {
    if (rename.from.length !== rename.to.length) throw new Error('rename must keep the name length');
    const bytes = await readFile(outPath);
    await writeFile(
      outPath,
      Buffer.from(bytes.toString('latin1').split(rename.from).join(rename.to), 'latin1'),
    );
  }
}

/** What a command needs to name a file: its sha256 and size. */
export async function digest(path: string): Promise<{ sha256: string; size: number }> {
  const bytes = await readFile(path);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}
