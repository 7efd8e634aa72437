import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { serviceGenerator, templateValues } from './generator';

describe('the service generator', () => {
  it('lays out a service in the one anatomy, every name spelled for its place', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await serviceGenerator(tree, { name: 'release-notes', port: 3011 });
    const files = tree
      .listChanges()
      .map((change) => change.path)
      .filter((path) => path.startsWith('apps/'))
      .sort();
    expect(files).toEqual([
      'apps/release-notes/README.md',
      'apps/release-notes/jest.config.js',
      'apps/release-notes/jest.int.config.js',
      'apps/release-notes/project.json',
      'apps/release-notes/src/config/release-notes-env.spec.ts',
      'apps/release-notes/src/config/release-notes-env.ts',
      'apps/release-notes/src/main.ts',
      'apps/release-notes/src/metrics/release-notes-metrics.ts',
      'apps/release-notes/src/release-notes.boot.ts',
      'apps/release-notes/src/release-notes.int-spec.ts',
      'apps/release-notes/src/release-notes.module.ts',
      'apps/release-notes/src/testing/release-notes-harness.ts',
      'apps/release-notes/tsconfig.build.json',
      'apps/release-notes/tsconfig.json',
    ]);
    const boot = tree.read('apps/release-notes/src/release-notes.boot.ts', 'utf8') ?? '';
    expect(boot).toContain('export const releaseNotesService: ServiceSpec<ReleaseNotesEnv>');
    expect(boot).toContain("schema: 'release_notes'");
    expect(boot).toContain('defaultPort: 3011');
    const env = tree.read('apps/release-notes/src/config/release-notes-env.ts', 'utf8') ?? '';
    expect(env).toContain("export const RELEASE_NOTES_SETTINGS = Symbol('RELEASE_NOTES_SETTINGS')");
    expect(JSON.parse(tree.read('apps/release-notes/project.json', 'utf8') ?? '{}')).toMatchObject({
      name: 'release-notes',
      tags: ['scope:release-notes', 'type:app'],
    });
  });

  it('refuses a bad or taken name, or a service that exists, naming the problem', async () => {
    expect(() => templateValues({ name: 'Release_Notes' })).toThrow(
      'service name "Release_Notes" must be lower-case words joined by hyphens',
    );
    expect(() => templateValues({ name: 'audit' })).toThrow('service name "audit" is taken');
    expect(() => templateValues({ name: 'inventory', port: 70_000 })).toThrow('port 70000');
    const tree = createTreeWithEmptyWorkspace();
    await serviceGenerator(tree, { name: 'inventory' });
    await expect(serviceGenerator(tree, { name: 'inventory' })).rejects.toThrow(
      'apps/inventory exists already',
    );
  });
});
