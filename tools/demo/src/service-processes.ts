import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@conveyor/testing';

export const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');

/**
 * A Conveyor service as its own process (`node -r @swc-node/register apps/<service>/src/main.ts`),
 * its JSON log appended to `<logDir>/<name>.log` across restarts. `kill()` is a crash (SIGKILL);
 * `start()` again after `kill()` or `stop()` runs it again with the same environment and port.
 */
export class ServiceProcess {
  readonly url: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  private exited: string | undefined;

  constructor(
    /** The service (`apps/<service>`). */
    readonly service: string,
    /** The process's own name in logs: the service, or `<service>-<replica>`. */
    readonly name: string,
    readonly port: number,
    private readonly env: Readonly<Record<string, string>>,
    logDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.logFile = join(logDir, `${name}.log`);
  }

  get running(): boolean {
    return this.child !== undefined && this.exited === undefined;
  }

  /** Starts the process and waits until `/health` answers 200. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${this.service}/src/main.ts`], {
      cwd: REPOSITORY_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        ...this.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = undefined;
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.exit = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        this.exited = `exited with ${signal ?? code}`;
        log.end();
        resolve();
      }),
    );
    try {
      await waitFor(
        `${this.name} to answer /health`,
        async () => {
          if (this.exited) throw new Error(`${this.name} ${this.exited}; see ${this.logFile}`);
          const response = await fetch(`${this.url}/health`).catch(() => undefined);
          return response?.ok === true;
        },
        { timeoutMs: 90_000, intervalMs: 250 },
      );
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** SIGKILL: a crash, nothing finishes. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM (a graceful stop), SIGKILL after 10 s. Idempotent. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exit;
    clearTimeout(timer);
  }
}

/** Starts a service process (see `ServiceProcess`) and waits until it is healthy. */
export async function startServiceProcess(
  name: string,
  port: number,
  env: Record<string, string>,
  logDir: string,
  service = name,
): Promise<ServiceProcess> {
  const started = new ServiceProcess(service, name, port, env, logDir);
  await started.start();
  return started;
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
