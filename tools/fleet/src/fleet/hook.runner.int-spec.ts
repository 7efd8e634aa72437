import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HookEnv } from '@conveyor/contracts';
import { HookFailedError } from './fleet.errors';
import { runLinuxHook } from './hook.runner';

describe('runLinuxHook', () => {
  let dir: string;
  let env: HookEnv;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-hook-'));
    env = {
      CONVEYOR_HOOK: 'start',
      CONVEYOR_RELEASE_DIR: dir,
      CONVEYOR_CURRENT_DIR: join(dir, 'current'),
      CONVEYOR_STATE_DIR: join(dir, 'state'),
      CONVEYOR_PORT: '8080',
      CONVEYOR_VERSION: '1.0.0',
      CONVEYOR_SERVER_ID: 'web-1',
    };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs in the release dir with the CONVEYOR_* environment', async () => {
    const run = await runLinuxHook(
      'web-1',
      { timeoutSeconds: 5, linux: 'echo "$PWD $CONVEYOR_HOOK $CONVEYOR_VERSION $CONVEYOR_PORT"' },
      env,
    );
    expect(run.output.trim()).toBe(`${dir} start 1.0.0 8080`);
  });

  it('fails with the exit code and the output of the hook', async () => {
    const attempt = runLinuxHook('web-1', { timeoutSeconds: 5, linux: 'echo "port taken" >&2; exit 3' }, env);
    await expect(attempt).rejects.toThrow(HookFailedError);
    await expect(attempt).rejects.toThrow('web-1: hook start failed with exit code 3; output:\nport taken');
  });

  it('kills a hook that runs past its timeout, children included', async () => {
    const startedAt = Date.now();
    const attempt = runLinuxHook('web-1', { timeoutSeconds: 1, linux: 'sleep 30 & sleep 30; wait' }, env);
    await expect(attempt).rejects.toThrow('web-1: hook start timed out after 1s');
    expect(Date.now() - startedAt).toBeLessThan(3000);
  });

  it('refuses a hook that has only a windows command', async () => {
    await expect(
      runLinuxHook('web-1', { timeoutSeconds: 1, windows: 'Start-Service x' }, env),
    ).rejects.toThrow('web-1: hook start has no linux command');
  });
});
