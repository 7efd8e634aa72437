import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@conveyor/testing';

export interface AuditProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** Resets the process's peak RSS (Linux: /proc/<pid>/clear_refs). */
  resetPeakRss(): Promise<void>;
  /** Peak RSS since start or the last reset, in MB (Linux: VmHWM). */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts apps/audit as its own process, the way it runs in production, and waits for /health. */
export async function startAuditProcess(
  root: string,
  port: number,
  env: Record<string, string>,
): Promise<AuditProcess> {
  // BENCH_AUDIT_NODE_ARGS: extra node flags for the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env['BENCH_AUDIT_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(
    process.execPath,
    [...nodeArgs, '-r', '@swc-node/register', join(root, 'apps', 'audit', 'src', 'main.ts')],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    'the audit service to answer /health',
    async () => {
      if (child.exitCode !== null) throw new Error(`the audit service exited with ${child.exitCode}`);
      const response = await fetch(`${baseUrl}/health`).catch(() => undefined);
      return response?.ok === true;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the audit service has no pid');
  return {
    child,
    baseUrl,
    resetPeakRss: () => writeFile(`/proc/${pid}/clear_refs`, '5'),
    async peakRssMb() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
      return match === null ? Number.NaN : Number(match[1]) / 1024;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
