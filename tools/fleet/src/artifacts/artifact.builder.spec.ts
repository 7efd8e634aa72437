import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseAppSpec } from './app-spec.parser';
import { extractArchive, listArchiveEntries } from './archive.reader';
import { buildArtifact } from './artifact.builder';
import { ArtifactBuildError } from './artifact.errors';

const EXPECTED_FILES = [
  'server.js',
  'healthcheck.js',
  'hooks/stop.sh',
  'hooks/before-install.sh',
  'hooks/after-install.sh',
  'hooks/start.sh',
  'hooks/validate.sh',
  'hooks/stop.ps1',
  'hooks/before-install.ps1',
  'hooks/after-install.ps1',
  'hooks/start.ps1',
  'hooks/validate.ps1',
  'VERSION',
  'conveyor-app.yaml',
].sort();

describe('buildArtifact', () => {
  let outDir: string;
  beforeEach(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'fleet-artifact-spec-'));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it.each(['tar.gz', 'zip'] as const)(
    'packages the app, its hooks, VERSION and conveyor-app.yaml as %s',
    async (format) => {
      const artifact = await buildArtifact({ version: '1.4.0', format, outDir });

      expect(basename(artifact.path)).toBe(`sample-app-1.4.0.${format}`);
      const entries = await listArchiveEntries(artifact.path);
      expect(entries.map((entry) => entry.path).sort()).toEqual(EXPECTED_FILES);
      expect(entries.find((entry) => entry.path === 'hooks/start.sh')?.mode).toBe(0o755);

      const unpacked = join(outDir, 'unpacked');
      await extractArchive(artifact.path, unpacked);
      expect(await readFile(join(unpacked, 'VERSION'), 'utf8')).toBe('1.4.0\n');
      const spec = parseAppSpec(await readFile(join(unpacked, 'conveyor-app.yaml'), 'utf8'));
      expect(spec.version).toBe('1.4.0');
      expect(Object.keys(spec.hooks)).toEqual([
        'stop',
        'before-install',
        'after-install',
        'start',
        'validate',
      ]);
      expect(spec.hooks.start.linux).toContain('hooks/start.sh');
      expect(spec.hooks.start.windows).toContain('start.ps1');
    },
  );

  it('reports the sha256 and size of the bytes on disk', async () => {
    const artifact = await buildArtifact({ version: '1.4.0', format: 'tar.gz', outDir });
    const bytes = await readFile(artifact.path);
    expect(artifact.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(artifact.size).toBe((await stat(artifact.path)).size);
    expect(artifact.version).toBe('1.4.0');
  });

  it('gives the same bytes for the same version and different bytes for another', async () => {
    const first = await buildArtifact({ version: '1.4.0', format: 'tar.gz', outDir: join(outDir, 'a') });
    const again = await buildArtifact({ version: '1.4.0', format: 'tar.gz', outDir: join(outDir, 'b') });
    const next = await buildArtifact({ version: '1.5.0', format: 'tar.gz', outDir: join(outDir, 'c') });
    expect(again.sha256).toBe(first.sha256);
    expect(next.sha256).not.toBe(first.sha256);
  });

  it('bakes the BROKEN marker into a broken artifact under its own name', async () => {
    const healthy = await buildArtifact({ version: '1.4.0', format: 'zip', outDir });
    const broken = await buildArtifact({ version: '1.4.0', format: 'zip', broken: true, outDir });
    expect(basename(broken.path)).toBe('sample-app-1.4.0-broken.zip');
    expect((await listArchiveEntries(broken.path)).map((entry) => entry.path)).toContain('BROKEN');
    expect((await listArchiveEntries(healthy.path)).map((entry) => entry.path)).not.toContain('BROKEN');
  });

  it('refuses a version that cannot be a release directory', async () => {
    await expect(buildArtifact({ version: '../1.0', format: 'tar.gz', outDir })).rejects.toThrow(
      ArtifactBuildError,
    );
    await expect(buildArtifact({ version: '../1.0', format: 'tar.gz', outDir })).rejects.toThrow(
      /cannot build version "\.\.\/1\.0": version must start with a letter or digit/,
    );
  });
});
