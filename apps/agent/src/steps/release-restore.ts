import { errorMessage } from '@conveyor/errors';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { currentVersion, switchCurrent } from '../releases/current-link';
import { readAppSpec } from '../releases/release-unpacker';
import { runReleaseHook, type StepContext } from './step-context';

/**
 * Puts `version` back in service after a step stopped it: stop whatever runs now (through that
 * release's own stop hook), point `current` at it again, start and validate it. Returns a sentence
 * for the failure report; never throws (a failed restore is reported, not hidden).
 */
export async function restoreRelease(context: StepContext, version: string): Promise<string> {
  const releaseDir = join(context.layout.releasesDir, version);
  try {
    const spec = await readAppSpec(releaseDir);
    await runReleaseHook(context, spec, 'stop', releaseDir);
    if ((await currentVersion(context.layout)) !== version) await switchCurrent(context.layout, version);
    await runReleaseHook(context, spec, 'start', releaseDir);
    await runReleaseHook(context, spec, 'validate', releaseDir);
    return `release ${version} was restored and serves again`;
  } catch (error) {
    return `restoring release ${version} failed too: ${errorMessage(error)}`;
  }
}

/** Release directories (not the hidden .incoming-* ones), sorted. */
export async function releaseDirs(context: StepContext): Promise<string[]> {
  const entries = await readdir(context.layout.releasesDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

/** Removes leftovers of an interrupted step: partial downloads, half-unpacked releases, migration work dirs. */
export async function removeLeftovers(context: StepContext): Promise<void> {
  const { layout } = context;
  await rm(layout.downloadsDir, { recursive: true, force: true });
  await rm(layout.workDir, { recursive: true, force: true });
  const entries = await readdir(layout.releasesDir).catch(() => []);
  await Promise.all(
    entries
      .filter((name) => name.startsWith('.incoming-'))
      .map((name) => rm(join(layout.releasesDir, name), { recursive: true, force: true })),
  );
}
