import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HookEnv } from '@conveyor/contracts';
import { waitFor } from '@conveyor/testing';
import { hookProcessEnv } from '../hooks/hook-process-env';
import { runHook } from '../hooks/hook-process.runner';

/**
 * Red team: hooks that try to outlive their timeout. Real `sh` processes; the runner must return
 * at its timeout (plus the SIGTERM grace) and kill every process of the hook's group.
 */
describe('red team: a hook cannot outlive its timeout', () => {
  let dir: string;
  const env = (): HookEnv => ({
    CONVEYOR_HOOK: 'validate',
    CONVEYOR_RELEASE_DIR: dir,
    CONVEYOR_CURRENT_DIR: join(dir, 'current'),
    CONVEYOR_STATE_DIR: dir,
    CONVEYOR_PORT: '8080',
    CONVEYOR_VERSION: '1.0.0',
    CONVEYOR_SERVER_ID: 'web-1',
  });
  const run = (linux: string, timeoutSeconds: number) =>
    runHook({ timeoutSeconds, linux }, env(), {
      processEnv: hookProcessEnv(process.env, env(), []),
      killGraceMs: 500,
      drainMs: 300,
    });
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const pidIn = async (file: string) => Number((await readFile(join(dir, file), 'utf8')).trim());
  const leftovers: number[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hook-timeout-'));
  });
  afterEach(async () => {
    for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('a 1 s hook with a `sleep 30 &` grandchild holding its pipes returns within 2 s; the grandchild is dead', async () => {
    const started = Date.now();
    const result = await run('sleep 30 & echo $! > grandchild.pid; wait', 1);
    const took = Date.now() - started;
    const grandchild = await pidIn('grandchild.pid');
    leftovers.push(grandchild);
    expect(result.timedOut).toBe(true);
    expect(took).toBeLessThan(2_500);
    await waitFor('the grandchild to die', () => (alive(grandchild) ? undefined : true), {
      timeoutMs: 2_000,
    });
  });

  it('a hook that ignores SIGTERM is SIGKILLed after the grace period', async () => {
    const started = Date.now();
    const result = await run(
      "trap '' TERM; sleep 30 & echo $! > grandchild.pid; while :; do sleep 1; done",
      1,
    );
    const grandchild = await pidIn('grandchild.pid');
    leftovers.push(grandchild);
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
    await waitFor('the grandchild to die', () => (alive(grandchild) ? undefined : true), {
      timeoutMs: 2_000,
    });
  });

  it('a child that left the group (setsid) and holds the pipes does not hold the hook past its timeout', async () => {
    const started = Date.now();
    const result = await run('setsid sleep 30 & echo $! > escaped.pid; sleep 30', 1);
    leftovers.push(await pidIn('escaped.pid'));
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a hook that exits 0 but leaves a child on its pipes returns at once with exit 0', async () => {
    const started = Date.now();
    const result = await run('setsid sleep 30 & echo $! > escaped.pid; echo done', 20);
    leftovers.push(await pidIn('escaped.pid'));
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.outputTail).toContain('done');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
