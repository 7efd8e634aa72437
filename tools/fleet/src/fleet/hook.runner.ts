import { spawn } from 'node:child_process';
import type { AppHook, AppHookName, HookEnv } from '@conveyor/contracts';
import { HookFailedError } from './fleet.errors';

const MAX_OUTPUT_CHARS = 16 * 1024;

export interface HookRun {
  readonly hook: AppHookName;
  readonly output: string;
  readonly durationMs: number;
}

/**
 * Runs a hook's linux command the way an agent does: `sh -c <command>` in the release dir, with the
 * CONVEYOR_* environment (over `extraEnv` and this process's), in its own process group, killed (whole group) after its timeout.
 * @throws HookFailedError on a non-zero exit, a timeout, or a hook without a linux command
 */
export function runLinuxHook(
  serverId: string,
  hook: AppHook,
  env: HookEnv,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<HookRun> {
  const name = env.CONVEYOR_HOOK;
  const command = hook.linux;
  if (command === undefined)
    return Promise.reject(new HookFailedError(serverId, name, 'has no linux command', ''));
  const startedAt = Date.now();
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn('sh', ['-c', command], {
      cwd: env.CONVEYOR_RELEASE_DIR,
      env: { ...process.env, ...extraEnv, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, hook.timeoutSeconds * 1000);
    child.once('error', (error) => {
      clearTimeout(timer);
      rejectRun(new HookFailedError(serverId, name, `could not start (${error.message})`, output));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut)
        rejectRun(new HookFailedError(serverId, name, `timed out after ${hook.timeoutSeconds}s`, output));
      else if (code !== 0)
        rejectRun(
          new HookFailedError(serverId, name, `failed with ${signal ?? `exit code ${code}`}`, output),
        );
      else resolveRun({ hook: name, output, durationMs: Date.now() - startedAt });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}
