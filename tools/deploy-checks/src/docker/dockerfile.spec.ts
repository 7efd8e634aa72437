import { execFileSync } from 'node:child_process';
import { SERVICE_NAMES } from '../app-config-schemas';
import { readRepoFile, repoFileExists } from '../repo-files';

const dockerfile = readRepoFile('deploy', 'docker', 'Dockerfile');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.filter((line) => line.startsWith('FROM '));
const runtime = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]));

describe('deploy/docker/Dockerfile', () => {
  it('copies only paths that exist in the build context (the repository root)', () => {
    const copies = instructions.filter((line) => line.startsWith('COPY ') && !line.includes('--from='));
    expect(copies.length).toBeGreaterThan(3);
    for (const copy of copies) {
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) expect([source, repoFileExists(source)]).toEqual([source, true]);
    }
  });

  it('builds every service it is documented for (SERVICE = an app with a tsconfig.build.json)', () => {
    expect(dockerfile).toContain('npx tsc -p "apps/${SERVICE}/tsconfig.build.json"');
    for (const service of [...SERVICE_NAMES, 'agent'])
      expect([service, repoFileExists('apps', service, 'tsconfig.build.json')]).toEqual([service, true]);
  });

  it('is multi-stage, with production dependencies only, a non-root numeric user and a health check', () => {
    expect(stages.length).toBe(3);
    expect(instructions).toContain(
      'RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force',
    );
    expect(
      runtime.filter((line) => line.startsWith('COPY --from=')).map((line) => line.split(/\s+/)[1]),
    ).toEqual(['--from=deps', '--from=build']);
    expect(runtime).toContain('USER 1000:1000');
    expect(runtime.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('healthcheck.js'))).toBe(
      true,
    );
    expect(dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
  });

  it('starts the compiled entry point the build writes, resolving @conveyor/* in dist', () => {
    expect(runtime.find((line) => line.startsWith('CMD '))).toContain(
      'node -r ./register-aliases.js dist/apps/${SERVICE}/src/main.js',
    );
    for (const service of [...SERVICE_NAMES, 'agent'])
      expect(repoFileExists('apps', service, 'src', 'main.ts')).toBe(true);
    const resolved = execFileSync(
      process.execPath,
      [
        '-r',
        './deploy/docker/register-aliases.js',
        '-e',
        "try { require.resolve('@conveyor/contracts') } catch (e) { console.log(e.message.split('\\n')[0]) }",
      ],
      {
        cwd: `${__dirname}/../../../..`,
        env: { ...process.env, CONVEYOR_DIST: '/app/dist' },
        encoding: 'utf8',
      },
    );
    expect(resolved).toContain('/app/dist/libs/contracts/src/index.js');
  });

  it('keeps keys and local data out of the build context', () => {
    const ignored = readRepoFile('deploy', 'docker', 'Dockerfile.dockerignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', '**/*.pem', 'deploy/compose/keys', '.git']),
    );
  });
});
