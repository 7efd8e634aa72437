import { chmod, mkdtemp, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { APP_SPEC_FILE_NAME, type AppSpec } from '@conveyor/contracts';
import { parseAppSpec } from '../artifacts/app-spec.parser';
import { extractArchive } from '../artifacts/archive.reader';
import { releaseDirOf, type FleetServer } from './fleet.layout';
import { ReleaseError } from './fleet.errors';

export interface InstalledRelease {
  readonly version: string;
  readonly releaseDir: string;
  readonly spec: AppSpec;
}

/**
 * Unpacks an artifact into <server>/releases/<version> (version from its conveyor-app.yaml), replacing an
 * earlier unpack of the same version. Does not touch `current` or any running process.
 */
export async function unpackRelease(server: FleetServer, artifactPath: string): Promise<InstalledRelease> {
  const incomingDir = await mkdtemp(join(server.releasesDir, '.incoming-'));
  try {
    await extractArchive(artifactPath, incomingDir);
    const specPath = join(incomingDir, APP_SPEC_FILE_NAME);
    const specText = await readFile(specPath, 'utf8').catch(() => {
      throw new ReleaseError(
        `${server.id}: artifact ${artifactPath} has no ${APP_SPEC_FILE_NAME} at its root`,
      );
    });
    const spec = parseAppSpec(specText, `${APP_SPEC_FILE_NAME} in ${artifactPath}`);
    const releaseDir = releaseDirOf(server, spec.version);
    await rm(releaseDir, { recursive: true, force: true });
    await chmod(incomingDir, 0o755);
    await rename(incomingDir, releaseDir);
    return { version: spec.version, releaseDir, spec };
  } finally {
    await rm(incomingDir, { recursive: true, force: true });
  }
}

/** Points <server>/current at `releaseDir` atomically (a relative symlink renamed over the old one). */
export async function switchCurrent(server: FleetServer, releaseDir: string): Promise<void> {
  const info = await stat(releaseDir).catch(() => undefined);
  if (info === undefined || !info.isDirectory())
    throw new ReleaseError(`${server.id}: release dir ${releaseDir} does not exist`);
  const nextLink = `${server.currentLink}.next`;
  await rm(nextLink, { force: true });
  await symlink(relative(server.rootDir, releaseDir), nextLink);
  await rename(nextLink, server.currentLink);
}
