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

export interface RunHookOptions {
  /** Seconds before the hook's process group is killed; the hook's own timeout when absent. */
  timeoutSeconds?: number;
  /** The hook's whole environment (hookProcessEnv): allow-listed, never the agent's credentials. */
  processEnv: Readonly<Record<string, string>>;
  /** How long SIGTERM gets before SIGKILL at the timeout. Default 2000 ms. */
  killGraceMs?: number;
  /** How long output is still read after the hook exited (a child it left may hold the pipes). Default 500 ms. */
  drainMs?: number;
  /** Run the hook as this user and group (AGENT_HOOK_UID/GID; the agent then runs as root). */
  runAs?: { uid: number; gid: number };
}

/**
 * Runs one hook in the release dir with an allow-listed environment (`processEnv`), leading its own
 * process group. At its timeout the whole group gets SIGTERM, then SIGKILL after `killGraceMs`
 * (the whole tree with taskkill on Windows). It returns at the latest `killGraceMs + drainMs` after
 * its timeout, even when a child that left the group (setsid) still holds its pipes: the hook's
 * exit, not the pipes closing, ends the wait. Resolves with the result whatever the exit code;
 * rejects only if the hook cannot be started at all.
 */
export function runHook(hook: AppHook, env: HookEnv, options: RunHookOptions): Promise<HookResult> {
  const name = env.CONVEYOR_HOOK;
  const timeoutSeconds = options.timeoutSeconds ?? hook.timeoutSeconds;
  const killGraceMs = options.killGraceMs ?? 2_000;
  const drainMs = options.drainMs ?? 500;
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
      env: { ...options.processEnv, ...env },
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      ...(options.runAs === undefined ? {} : { uid: options.runAs.uid, gid: options.runAs.gid }),
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        hook: name,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? (timedOut ? 'SIGKILL' : null),
        timedOut,
        outputTail: output,
        durationMs: Date.now() - startedAt,
      });
    };
    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup(child.pid, 'SIGTERM');
        timers.push(setTimeout(() => killGroup(child.pid, 'SIGKILL'), killGraceMs));
        // Whatever still holds the pipes, the hook has had its time.
        timers.push(setTimeout(finish, killGraceMs + drainMs));
      }, timeoutSeconds * 1000),
    );
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      reject(new StepFailure('hook', `hook ${name} could not start: ${error.message}`, { hook: name }));
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // A child the hook left behind may keep the pipes open: read what comes soon, then stop waiting.
      timers.push(setTimeout(finish, drainMs));
    });
    child.once('close', finish);
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

/** Kills the hook's process group (the hook leads it: spawned detached); the whole tree on Windows. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
