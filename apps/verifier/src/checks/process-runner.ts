import { spawn } from 'node:child_process';
import { OutputTail } from './output-tail';
import { describeError } from '@conveyor/errors';

export interface ProcessOutcome {
  /** How the process ended: its exit code, killed on timeout or stop, or never started. */
  end:
    | { kind: 'exited'; code: number }
    | { kind: 'signalled'; signal: string }
    | { kind: 'timed-out' }
    | { kind: 'stopped'; why: string }
    | { kind: 'not-started'; error: string };
  /** Last bytes of stdout and stderr, interleaved as written. */
  outputTail: string;
  durationMs: number;
}

export interface RunProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  /** How long SIGTERM gets before SIGKILL. */
  killGraceMs?: number;
  /** Run as this user and group (SMOKE_RUN_AS_*); the verifier's own when absent. */
  runAs?: { uid: number; gid: number };
  /** How long output is still read after the process exited (a child it left may hold the pipes). Default 500 ms. */
  drainMs?: number;
}

/**
 * Runs a command without a shell in its own process group (optionally as another user); on
 * timeout or stop the whole group (the runner and everything it started) gets SIGTERM, then
 * SIGKILL. The process's exit, not its pipes closing, ends the wait: a child that left the group
 * and holds the pipes delays the result by `drainMs` at most.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  const tail = new OutputTail();
  const grace = options.killGraceMs ?? 2_000;
  const drainMs = options.drainMs ?? 500;
  return new Promise((resolve) => {
    let settled = false;
    let killedFor: ProcessOutcome['end'] | undefined;
    const timers: NodeJS.Timeout[] = [];
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      ...(options.runAs === undefined ? {} : { uid: options.runAs.uid, gid: options.runAs.gid }),
    });
    const finish = (end: ProcessOutcome['end']): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      options.signal.removeEventListener('abort', onStop);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ end, outputTail: tail.text(), durationMs: Date.now() - started });
    };
    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        /* the group is gone already */
      }
    };
    const stopWith = (end: ProcessOutcome['end']): void => {
      if (killedFor) return;
      killedFor = end;
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), grace));
      // A grandchild that escaped the group may hold the pipes open: do not wait for it forever.
      timers.push(setTimeout(() => finish(end), grace + 1_000));
    };
    const onStop = (): void => {
      const reason: unknown = options.signal.reason;
      stopWith({
        kind: 'stopped',
        why: reason instanceof Error ? reason.message : String(reason ?? 'stopped'),
      });
    };
    child.stdout.on('data', (chunk: Buffer) => tail.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.write(chunk));
    child.once('error', (error) => finish({ kind: 'not-started', error: describeError(error) }));
    const ended = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (killedFor) finish(killedFor);
      else if (code !== null) finish({ kind: 'exited', code });
      else finish({ kind: 'signalled', signal: signal ?? 'unknown' });
    };
    child.once('exit', (code, signal) => {
      timers.push(setTimeout(() => ended(code, signal), drainMs));
    });
    child.once('close', ended);
    timers.push(setTimeout(() => stopWith({ kind: 'timed-out' }), Math.max(0, options.timeoutMs)));
    if (options.signal.aborted) onStop();
    else options.signal.addEventListener('abort', onStop, { once: true });
  });
}
