/**
 * What an artifact may contain, decided entry by entry before anything is written (pure, no I/O):
 * relative paths without `..`, regular files, directories, and links that stay inside the release
 * directory without passing through another link; at most `maxEntries` entries and `maxBytes`
 * bytes in all. Used for tar.gz and zip alike.
 */

export type ArchiveEntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface ArchiveEntryInfo {
  path: string;
  kind: ArchiveEntryKind;
  /** A link's target as stored: relative to the link's directory (symlink) or to the archive root (hard link). */
  linkpath?: string;
  /** Bytes the entry unpacks to (as declared; the zip writer also counts them). */
  size: number;
  /** The archive's own type name, for the message (e.g. CharacterDevice, FIFO). */
  typeName?: string;
}

export interface ExtractLimits {
  maxBytes: number;
  maxEntries: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxBytes: 2 * 1024 ** 3, maxEntries: 100_000 };

/** The path's components, `\` read as `/`, empty and `.` parts dropped. */
function components(path: string): string[] {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
}

/** True when an entry path stays inside the extraction dir (relative, no ".." segment). */
export function isSafeEntryPath(entryPath: string): boolean {
  if (entryPath.length === 0 || /^([\\/]|[A-Za-z]:)/.test(entryPath)) return false;
  return !entryPath.split(/[\\/]/).includes('..');
}

export class ArchiveEntryPolicy {
  private entries = 0;
  private bytes = 0;
  private readonly links = new Set<string>();

  constructor(private readonly limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS) {}

  /** Why this entry is refused (the whole archive then is), or undefined when it may be written. */
  check(entry: ArchiveEntryInfo): string | undefined {
    const name = JSON.stringify(entry.path);
    this.entries += 1;
    if (this.entries > this.limits.maxEntries)
      return `more than ${this.limits.maxEntries} entries (AGENT_MAX_EXTRACT_ENTRIES)`;
    this.bytes += Math.max(0, entry.size);
    if (this.bytes > this.limits.maxBytes)
      return `unpacks to more than ${this.limits.maxBytes} bytes (AGENT_MAX_EXTRACT_BYTES)`;
    if (!isSafeEntryPath(entry.path)) return `entry ${name} escapes the release dir (absolute path or "..")`;
    const parts = components(entry.path);
    if (parts.length === 0) return entry.kind === 'directory' ? undefined : `entry ${name} has no name`;
    if (this.throughLink(parts.slice(0, -1)))
      return `entry ${name} would be written through a link in the archive`;
    switch (entry.kind) {
      case 'file':
      case 'directory':
        return undefined;
      case 'hardlink': {
        const target = entry.linkpath ?? '';
        if (!isSafeEntryPath(target) || components(target).length === 0)
          return `hard link ${name} points outside the release dir (${JSON.stringify(target)})`;
        if (this.throughLink(components(target)))
          return `hard link ${name} points through a link in the archive (${JSON.stringify(target)})`;
        return undefined;
      }
      case 'symlink': {
        const problem = this.symlinkProblem(parts, entry.linkpath ?? '');
        if (problem !== undefined) return `symlink ${name} ${problem}`;
        this.links.add(parts.join('/'));
        return undefined;
      }
      case 'other':
        return `entry ${name} is a ${entry.typeName ?? 'special file'}: only files, directories and links are unpacked`;
    }
  }

  /** Where a symlink resolves, walked from its directory; refused when it leaves the root or crosses a link. */
  private symlinkProblem(parts: readonly string[], linkpath: string): string | undefined {
    const shown = JSON.stringify(linkpath);
    if (linkpath === '' || /^([\\/]|[A-Za-z]:)/.test(linkpath))
      return `points to an absolute path (${shown})`;
    const at = parts.slice(0, -1);
    for (const part of components(linkpath)) {
      if (part === '..') {
        if (at.length === 0) return `points outside the release dir (${shown})`;
        at.pop();
        continue;
      }
      at.push(part);
      if (this.links.has(at.join('/'))) return `points through another link in the archive (${shown})`;
    }
    return undefined;
  }

  private throughLink(parts: readonly string[]): boolean {
    for (let i = 1; i <= parts.length; i++) if (this.links.has(parts.slice(0, i).join('/'))) return true;
    return false;
  }
}
