import { ArchiveError } from './artifact.errors';

export const ARCHIVE_FORMATS = ['tar.gz', 'zip'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** One file to put into an archive. `path` uses "/" separators and is relative. */
export interface ArchiveEntry {
  readonly path: string;
  readonly content: Buffer;
  /** Unix permission bits, e.g. 0o644 or 0o755. */
  readonly mode: number;
}

/** The format of an archive, from its file name (.tar.gz, .tgz or .zip). */
export function archiveFormatOf(archivePath: string): ArchiveFormat {
  const lower = archivePath.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.zip')) return 'zip';
  throw new ArchiveError(archivePath, 'unknown archive format: the name must end in .tar.gz, .tgz or .zip');
}

/** True when an entry path stays inside the extraction dir (relative, no ".." segment). */
export function isSafeEntryPath(entryPath: string): boolean {
  if (
    entryPath.length === 0 ||
    entryPath.startsWith('/') ||
    entryPath.startsWith('\\') ||
    /^[A-Za-z]:/.test(entryPath)
  ) {
    return false;
  }
  return !entryPath.split(/[\\/]/).includes('..');
}
