import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@conveyor/testing';

export const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');

export interface ServiceProcess {
  name: string;
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Runs a Conveyor service as its own process (`node -r @swc-node/register apps/<name>/src/main.ts`),
 * its JSON log in `<logDir>/<name>.log`, and waits until `/health` answers 200.
 */
export async function startServiceProcess(
  name: string,
  port: number,
  env: Record<string, string>,
  logDir: string,
): Promise<ServiceProcess> {
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', `apps/${name}/src/main.ts`],
    {
      cwd: REPOSITORY_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `${name} to answer /health`,
      async () => {
        if (exited) throw new Error(`${name} ${exited}; see ${logFile}`);
        const response = await fetch(`${url}/health`).catch(() => undefined);
        return response?.ok === true;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name,
    url,
    logFile,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

/**
 * Runs `apps/<name>/src/main.ts migrate` once with DATABASE_MIGRATION_URL (the schema owner's
 * login) and waits for it to exit 0 — the one-off job production runs before the audit service,
 * so the owner's credentials never reach the running service. Output goes to `<logDir>/<name>-migrate.log`.
 */
export async function runServiceMigration(name: string, migrationUrl: string, logDir: string): Promise<void> {
  const logFile = join(logDir, `${name}-migrate.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`, 'migrate'], {
    cwd: REPOSITORY_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      DATABASE_MIGRATION_URL: migrationUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const code = await new Promise<number | null>((resolve) =>
    child.once('exit', (exitCode) => resolve(exitCode)),
  );
  log.end();
  if (code !== 0) throw new Error(`${name} migrate exited with ${String(code)}; see ${logFile}`);
}
