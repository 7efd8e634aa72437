import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { testServiceEnv } from '@conveyor/service-kit';
import { findFreePort } from '@conveyor/testing';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

/**
 * The real verifier as its own process (`node -r @swc-node/register apps/verifier/src/main.ts`),
 * so what a smoke suite finds at /proc/$PPID/environ is exactly the environment it started with.
 */
export class VerifierProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(private readonly env: Record<string, string>) {}

  static async environment(
    amqpUrl: string,
    databaseUrl: string,
    extra: Record<string, string>,
  ): Promise<Record<string, string>> {
    const base = testServiceEnv(amqpUrl, databaseUrl, { LOG_LEVEL: 'info', PORT: await findFreePort() });
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/root',
      SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json'),
      VERIFIER_POLL_MS: '100',
    };
    for (const [name, value] of Object.entries(base)) env[name] = String(value);
    return { ...env, ...extra };
  }

  logs(): string {
    return this.output;
  }

  start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(REPO_ROOT, 'apps/verifier/src/main.ts')],
      {
        cwd: REPO_ROOT,
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    return new Promise((resolveStart, rejectStart) => {
      const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        rejectStart(new Error(`verifier ${why}; output:\n${this.output.slice(-4000)}`));
      };
      const collect = (chunk: Buffer) => {
        this.output = (this.output + chunk.toString('utf8')).slice(-256 * 1024);
        if (this.output.includes('verifier started')) {
          clearTimeout(timer);
          resolveStart();
        }
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`));
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.removeAllListeners('exit');
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
