import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { SAMPLE_APP_DIR, SAMPLE_APP_FILES } from '../sample-app/sample-app.files';
import { APP_SPEC_FILE_NAME, releaseVersionSchema, type AppSpec } from '@conveyor/contracts';
import { ArtifactBuildError } from './artifact.errors';
import { ARCHIVE_FORMATS, type ArchiveEntry, type ArchiveFormat } from './archive.format';
import { writeArchive } from './archive.writer';
import { SAMPLE_APP_NAME, sampleAppSpec } from './sample-app-spec';

export interface BuildArtifactOptions {
  readonly version: string;
  readonly format: ArchiveFormat;
  /**
   * Bakes a BROKEN marker into the artifact: the app starts but /health answers 500 — everywhere
   * (`true`), or only on servers whose id starts with `onServersPrefixed` (a defect that shows only
   * with production's configuration).
   */
  readonly broken?: boolean | { readonly onServersPrefixed: string };
  /** Created if missing. */
  readonly outDir: string;
  /**
   * Replaces or adds hooks of the sample app's conveyor-app.yaml, e.g. a validate that exits 3, a
   * before-install that hangs, a migrate hook. Such an artifact needs a `label` (its file name).
   */
  readonly hooks?: Partial<AppSpec['hooks']>;
  /** Added to the file name: sample-app-<version>-<label>.<format>. */
  readonly label?: string;
}

export interface BuiltArtifact {
  /** Absolute path of the archive: <outDir>/sample-app-<version>[-broken].<format>. */
  readonly path: string;
  /** Lowercase hex sha256 of the archive's bytes. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly size: number;
  readonly version: string;
}

/** Name of the marker file that switches the sample app into broken mode. */
export const BROKEN_MARKER_FILE = 'BROKEN';

/**
 * Packages the sample app as a deployable artifact: server.js, healthcheck.js, hooks/, VERSION and
 * conveyor-app.yaml (plus BROKEN when `broken`). The same inputs always give the same bytes.
 */
export async function buildArtifact(options: BuildArtifactOptions): Promise<BuiltArtifact> {
  const version = releaseVersionSchema.safeParse(options.version);
  if (!version.success) {
    throw new ArtifactBuildError(
      `cannot build version ${JSON.stringify(options.version)}: ${version.error.issues[0]?.message}`,
    );
  }
  if (!ARCHIVE_FORMATS.includes(options.format)) {
    throw new ArtifactBuildError(
      `unknown format ${JSON.stringify(options.format)}: use ${ARCHIVE_FORMATS.join(' or ')}`,
    );
  }
  if (options.hooks !== undefined && options.label === undefined) {
    throw new ArtifactBuildError(
      'an artifact with custom hooks needs a label, so its file name differs from the plain one',
    );
  }
  if (options.label !== undefined && !/^[a-z0-9-]{1,40}$/.test(options.label)) {
    throw new ArtifactBuildError(
      `label ${JSON.stringify(options.label)} must be 1-40 lower-case letters, digits or "-"`,
    );
  }
  const entries = await artifactEntries(version.data, options.broken ?? false, options.hooks ?? {});
  await mkdir(options.outDir, { recursive: true });
  const suffix = `${options.broken ? '-broken' : ''}${options.label === undefined ? '' : `-${options.label}`}`;
  const path = join(options.outDir, `${SAMPLE_APP_NAME}-${version.data}${suffix}.${options.format}`);
  await writeArchive(options.format, entries, path);
  const bytes = await readFile(path);
  return {
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: (await stat(path)).size,
    version: version.data,
  };
}

async function artifactEntries(
  version: string,
  broken: NonNullable<BuildArtifactOptions['broken']>,
  hooks: Partial<AppSpec['hooks']>,
): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  for (const file of SAMPLE_APP_FILES) {
    const content = await readFile(join(SAMPLE_APP_DIR, file));
    entries.push({ path: file, content, mode: file.endsWith('.sh') ? 0o755 : 0o644 });
  }
  entries.push({ path: 'VERSION', content: Buffer.from(`${version}\n`), mode: 0o644 });
  entries.push({
    path: APP_SPEC_FILE_NAME,
    content: Buffer.from(stringifyYaml(withHooks(sampleAppSpec(version), hooks))),
    mode: 0o644,
  });
  if (broken) {
    const scope = broken === true ? '' : `SERVER_PREFIX=${broken.onServersPrefixed}\n`;
    entries.push({
      path: BROKEN_MARKER_FILE,
      content: Buffer.from(`BROKEN=1: /health answers 500 on purpose\n${scope}`),
      mode: 0o644,
    });
  }
  return entries;
}

function withHooks(spec: AppSpec, hooks: Partial<AppSpec['hooks']>): AppSpec {
  return { ...spec, hooks: { ...spec.hooks, ...hooks } };
}
