/** What the agent remembers of each release it unpacked (state/releases.json). */
export interface ReleaseEntry {
  version: string;
  sha256: string;
  installedAt: string;
  /** Last time `current` was switched to it; undefined if never. */
  activatedAt?: string;
  /** Found serving, not installed by this agent (the release before Conveyor); sha256 is then unknown. */
  adopted?: boolean;
}

export type ReleaseHistory = Readonly<Record<string, ReleaseEntry>>;

function lastUsed(entry: ReleaseEntry): number {
  return Date.parse(entry.activatedAt ?? entry.installedAt);
}

/** Most recently used first; ties by version for a stable answer. */
function byRecency(a: ReleaseEntry, b: ReleaseEntry): number {
  return lastUsed(b) - lastUsed(a) || b.version.localeCompare(a.version);
}

/**
 * Which release directories to delete: keep the current release, every `protect`ed one (the release
 * that served before the step now running: its rollback target), and the `keep - 1` others used
 * most recently; a directory the history does not know (a leftover) goes too — never a protected one.
 */
export function releasesToPrune(
  dirs: readonly string[],
  history: ReleaseHistory,
  current: string | null,
  keep: number,
  protect: readonly (string | null | undefined)[] = [],
): string[] {
  if (!Number.isInteger(keep) || keep < 1)
    throw new RangeError(`keep must be a positive integer, got ${keep}`);
  const known = dirs.map((dir) => history[dir]).filter((entry): entry is ReleaseEntry => entry !== undefined);
  const others = known.filter((entry) => entry.version !== current).sort(byRecency);
  const kept = new Set(others.slice(0, current === null ? keep : keep - 1).map((entry) => entry.version));
  if (current !== null) kept.add(current);
  for (const version of protect) if (typeof version === 'string') kept.add(version);
  return dirs.filter((dir) => !kept.has(dir)).sort();
}

/**
 * Takes into the history a release that serves but that the agent never installed — the one that
 * ran before Conveyor's first deploy (installed by hand or by another tool). It becomes a rollback
 * target like any other, last used now. A known or absent release leaves the history as it is.
 */
export function adoptRelease(history: ReleaseHistory, version: string | null, now: Date): ReleaseHistory {
  if (version === null || history[version] !== undefined) return history;
  const at = now.toISOString();
  return {
    ...history,
    [version]: { version, sha256: 'unknown', installedAt: at, activatedAt: at, adopted: true },
  };
}

/**
 * The release a rollback returns to: `toVersion` if it is kept, else the kept release used most
 * recently before the current one. Undefined when there is none.
 */
export function rollbackTarget(
  dirs: readonly string[],
  history: ReleaseHistory,
  current: string | null,
  toVersion?: string,
): string | undefined {
  if (toVersion !== undefined)
    return dirs.includes(toVersion) && toVersion !== current ? toVersion : undefined;
  const candidates = dirs
    .map((dir) => history[dir])
    .filter((entry): entry is ReleaseEntry => entry !== undefined && entry.version !== current)
    .sort(byRecency);
  return candidates[0]?.version;
}

export function recordInstalled(
  history: ReleaseHistory,
  version: string,
  sha256: string,
  now: Date,
): ReleaseHistory {
  return {
    ...history,
    [version]: {
      version,
      sha256,
      installedAt: now.toISOString(),
      activatedAt: history[version]?.activatedAt,
    },
  };
}

export function recordActivated(history: ReleaseHistory, version: string, now: Date): ReleaseHistory {
  const entry = history[version] ?? { version, sha256: 'unknown', installedAt: now.toISOString() };
  return { ...history, [version]: { ...entry, activatedAt: now.toISOString() } };
}

export function forgetReleases(history: ReleaseHistory, versions: readonly string[]): ReleaseHistory {
  const next: Record<string, ReleaseEntry> = { ...history };
  for (const version of versions) delete next[version];
  return next;
}
