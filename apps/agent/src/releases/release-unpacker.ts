import { errorMessage } from '@conveyor/errors';
import { chmod, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { APP_SPEC_FILE_NAME, appSpecSchema, formatIssues, type AppSpec } from '@conveyor/contracts';
import { StepFailure } from '../steps/step-failure';
import { extractArchive } from './archive-extractor';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from './archive-entry.policy';

/** Reads and validates the conveyor-app.yaml of an unpacked release. */
export async function readAppSpec(releaseDir: string): Promise<AppSpec> {
  const path = join(releaseDir, APP_SPEC_FILE_NAME);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(`the artifact has no ${APP_SPEC_FILE_NAME} at its root`);
  });
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new Error(`${APP_SPEC_FILE_NAME} is not valid YAML (${errorMessage(error)})`);
  }
  const parsed = appSpecSchema.safeParse(document);
  if (!parsed.success) throw new Error(`invalid ${APP_SPEC_FILE_NAME}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * Extracts an artifact into a fresh directory under `parentDir` and checks its app spec says the
 * expected version. Throws StepFailure `unpack`; the partial directory is removed.
 */
export async function unpackArtifact(
  archivePath: string,
  parentDir: string,
  expectedVersion: string,
  limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS,
): Promise<{ dir: string; spec: AppSpec }> {
  const dir = await mkdtemp(join(parentDir, '.incoming-'));
  try {
    await extractArchive(archivePath, dir, limits);
    const spec = await readAppSpec(dir);
    if (spec.version !== expectedVersion) {
      throw new Error(
        `the artifact's ${APP_SPEC_FILE_NAME} says version ${spec.version}, the command says ${expectedVersion}`,
      );
    }
    await chmod(dir, 0o755);
    return { dir, spec };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new StepFailure('unpack', `cannot unpack the artifact: ${errorMessage(error)}`);
  }
}

/** Moves an unpacked directory to releases/<version>, replacing an earlier unpack that is not in use. */
export async function placeRelease(incomingDir: string, releaseDir: string): Promise<void> {
  if ((await stat(releaseDir).catch(() => undefined)) !== undefined)
    await rm(releaseDir, { recursive: true, force: true });
  await rename(incomingDir, releaseDir);
}
