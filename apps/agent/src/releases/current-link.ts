import { readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { AgentLayout } from './agent-layout';

/** The version `current` points at, or null when no release was ever switched to. */
export async function currentVersion(layout: AgentLayout): Promise<string | null> {
  const target = await readlink(layout.currentLink).catch(() => undefined);
  return target === undefined ? null : basename(target.replace(/[\\/]+$/, ''));
}

/**
 * Points `current` at releases/<version>. On Linux atomically: a relative symlink made beside it and
 * renamed over it. On Windows a directory junction (no privilege needed); Windows cannot rename over
 * an existing junction, so the old one is removed first (a brief moment without `current`).
 */
export async function switchCurrent(layout: AgentLayout, version: string): Promise<void> {
  const releaseDir = join(layout.releasesDir, version);
  const info = await stat(releaseDir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new Error(`release dir ${releaseDir} does not exist`);
  const nextLink = `${layout.currentLink}.next`;
  await rm(nextLink, { force: true, recursive: false });
  if (process.platform === 'win32') {
    await symlink(releaseDir, nextLink, 'junction');
    await rm(layout.currentLink, { force: true });
  } else {
    await symlink(relative(layout.baseDir, releaseDir), nextLink);
  }
  await rename(nextLink, layout.currentLink);
}
