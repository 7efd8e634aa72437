import { spawn, spawnSync } from 'node:child_process';
import type { AppHook, AppHookName, HookEnv } from '@conveyor/contracts';
import { StepFailure } from '../steps/step-failure';

/** The tail of a hook's output kept for its report (the event allows 8000 characters). */
export const OUTPUT_TAIL_CHARS = 4000;

export interface HookResult {
  hook: AppHookName;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The end of stdout and stderr, interleaved as they came. */
  outputTail: string;
  durationMs: number;
}

/** How a hook command is started on this platform: `sh -c` on Linux, PowerShell on Windows. */
export function hookCommandLine(
  hook: AppHook,
  platform: NodeJS.Platform = process.platform,
): { file: string; args: string[] } | undefined {
  if (platform === 'win32') {
    return hook.windows === undefined
      ? undefined
      : {
          file: 'powershell.exe',
          args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', hook.windows],
        };
  }
  return hook.linux === undefined ? undefined : { file: 'sh', args: ['-c', hook.linux] };
}

/**
 * Runs one hook in the release dir with the CONVEYOR_* environment, in its own process group,
 * killing the whole group (the whole tree on Windows) when its timeout passes. Resolves with the
 * result whatever the exit code; rejects only if the hook cannot be started at all.
 */
export function runHook(
  hook: AppHook,
  env: HookEnv,
  timeoutSeconds = hook.timeoutSeconds,
): Promise<HookResult> {
  const name = env.CONVEYOR_HOOK;
  const commandLine = hookCommandLine(hook);
  if (commandLine === undefined) {
    return Promise.reject(
      new StepFailure('hook', `hook ${name} has no command for ${process.platform}`, { hook: name }),
    );
  }
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(commandLine.file, commandLine.args, {
      cwd: env.CONVEYOR_RELEASE_DIR,
      env: { ...process.env, ...env },
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
    }, timeoutSeconds * 1000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new StepFailure('hook', `hook ${name} could not start: ${error.message}`, { hook: name }));
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        hook: name,
        exitCode,
        signal,
        timedOut,
        outputTail: output,
        durationMs: Date.now() - startedAt,
      });
    });
  });
}

/** A failed or timed-out hook as the step's failure. Undefined when the hook passed. */
export function hookFailure(result: HookResult, timeoutSeconds: number): StepFailure | undefined {
  if (!result.timedOut && result.exitCode === 0) return undefined;
  const reason = result.timedOut
    ? `hook ${result.hook} timed out after ${timeoutSeconds}s and was killed`
    : `hook ${result.hook} failed with ${result.signal !== null ? `signal ${result.signal}` : `exit code ${result.exitCode}`}`;
  return new StepFailure('hook', reason, {
    hook: result.hook,
    exitCode: result.exitCode,
    outputTail: result.outputTail,
  });
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}
