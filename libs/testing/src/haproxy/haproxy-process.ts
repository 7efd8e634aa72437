import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const HAPROXY_BINARY = process.env['HAPROXY_BIN'] ?? '/usr/sbin/haproxy';
const SETPRIV = '/usr/bin/setpriv';

/** Every HAProxy started here and not yet stopped; killed if this process exits. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) {
      child.kill('SIGKILL');
    }
  });
}

/** A running HAProxy and what it printed so far (for error messages). */
export interface HaproxyProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<string>;
}

/**
 * Spawns `haproxy -db -f <config>` in the foreground (with `-W -S <socket>` in master-worker mode). Where util-linux `setpriv` exists the
 * kernel kills HAProxy if this Node process dies (parent-death signal), so even a crashed
 * test run leaves nothing behind; a process 'exit' hook covers the rest.
 */
export function spawnHaproxy(
  configPath: string,
  options: { masterSocketPath?: string } = {},
): HaproxyProcess {
  installExitHook();
  // Master-worker (`-W -S`): the spawned process is the master; its workers exit when it dies.
  const haproxyArgs = options.masterSocketPath
    ? ['-W', '-db', '-S', `${options.masterSocketPath},mode,600`, '-f', configPath]
    : ['-db', '-f', configPath];
  const child = existsSync(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', HAPROXY_BINARY, ...haproxyArgs], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(HAPROXY_BINARY, haproxyArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  live.add(child);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`);
    });
    child.once('error', (error) => {
      live.delete(child);
      output += `\nspawn failed: ${error.message}`;
      resolve(`spawn error ${error.message}`);
    });
  });
  if (child.pid === undefined) {
    live.delete(child);
  }
  return { child, pid: child.pid ?? -1, output: () => output, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminateHaproxy(process: HaproxyProcess, graceMs = 2000): Promise<void> {
  const { child } = process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await process.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** How many HAProxy processes this module started are still alive. */
export function liveHaproxyCount(): number {
  return live.size;
}
