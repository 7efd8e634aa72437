import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { RunningService } from '@conveyor/service-kit';
import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@conveyor/testing';
import { serviceGenerator } from './generator';

const REPO = join(__dirname, '../../../..');
const execFileAsync = promisify(execFile);

/** Runs a node script; its exit code and what it printed (a failure is data here, not an exception). */
async function run(script: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [script, ...args], {
      cwd: REPO,
      env: { ...process.env, NX_DAEMON: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * Generates a service into a scratch workspace inside the repository (under tmp/, which git and
 * the linter's own run ignore), type-checks and lints it with the repository's settings, runs its
 * own unit test, and boots it against real RabbitMQ and PostgreSQL.
 */
describe('a generated service', () => {
  const name = 'inventory';
  const scratch = join(REPO, 'tmp', `generated-${randomUUID().slice(0, 8)}`);
  const app = join(scratch, 'apps', name);
  let vhost: TestVhost;
  let database: TestDatabase;
  let service: RunningService | undefined;

  beforeAll(async () => {
    const tree = createTreeWithEmptyWorkspace();
    await serviceGenerator(tree, { name, port: 3012 });
    for (const change of tree.listChanges()) {
      if (!change.path.startsWith('apps/') || change.content === null) continue;
      const target = join(scratch, change.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, change.content);
    }
    // The generated tsconfig extends ../../tsconfig.base.json, as in the repository.
    await writeFile(
      join(scratch, 'tsconfig.base.json'),
      // The repository's base excludes tmp/, where this scratch workspace lives.
      JSON.stringify({ extends: '../../tsconfig.base.json', exclude: [] }),
    );
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
  });

  afterAll(async () => {
    await service?.close();
    await Promise.all([vhost?.delete(), database?.drop()]);
    await rm(scratch, { recursive: true, force: true });
  });

  it('type-checks with the repository compiler settings', async () => {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(await run(tsc, ['-p', join(app, 'tsconfig.json'), '--noEmit'])).toEqual({ code: 0, output: '' });
  });

  it('passes the repository lint rules with no warning', async () => {
    const eslint = join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const result = await run(eslint, ['--no-ignore', '--max-warnings', '0', app]);
    if (result.code !== 0) throw new Error(`eslint exited ${result.code}:\n${result.output}`);
  });

  it('is formatted as the repository formats', async () => {
    const prettier = join(REPO, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
    const result = await run(prettier, ['--check', '--ignore-path', join(scratch, 'none'), app]);
    if (result.code !== 0) throw new Error(`prettier exited ${result.code}:\n${result.output}`);
  });

  it('boots against real RabbitMQ and PostgreSQL: ready, with its metrics', async () => {
    const harness = require(join(app, 'src', 'testing', `${name}-harness.ts`)) as {
      startInventory(amqpUrl: string, databaseUrl: string): Promise<RunningService>;
    };
    service = await harness.startInventory(vhost.adminUrl, database.url);
    const base = `http://127.0.0.1:${service.port}`;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/conveyor_inventory_starts_total [1-9]/);
  });
});
