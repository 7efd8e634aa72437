import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { FleetServer } from '../fleet/fleet.layout';

/** The repository root, where `node -r @swc-node/register apps/agent/src/main.ts` must run. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const AGENT_MAIN = join(REPO_ROOT, 'apps', 'agent', 'src', 'main.ts');

const MAX_OUTPUT_CHARS = 256 * 1024;

/** One agent child process of the local fleet. `start` again after `stop`/`kill` restarts it with the same environment. */
export class AgentProcess {
  private child?: ChildProcess;
  private captured = '';

  constructor(
    readonly server: FleetServer,
    private readonly env: Readonly<Record<string, string>>,
    private readonly readyTimeoutMs = 60_000,
  ) {}

  get pid(): number | undefined {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null
      ? child.pid
      : undefined;
  }

  /** Everything the agent wrote (stdout and stderr, JSON log lines), across restarts. */
  output(): string {
    return this.captured;
  }

  /** Starts the agent and resolves once it logs "agent ready"; rejects with its output if it exits first. */
  start(): Promise<void> {
    if (this.pid !== undefined)
      return Promise.reject(new Error(`agent ${this.server.id} is already running`));
    const child = spawn(process.execPath, ['-r', '@swc-node/register', AGENT_MAIN], {
      cwd: REPO_ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json'), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const startedAt = this.captured.length;
    return new Promise((resolveStart, rejectStart) => {
      const timer = setTimeout(
        () => fail(`did not get ready within ${this.readyTimeoutMs} ms`),
        this.readyTimeoutMs,
      );
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        rejectStart(
          new Error(
            `agent ${this.server.id} ${why}; output:\n${this.captured.slice(startedAt).slice(-4000)}`,
          ),
        );
      };
      const collect = (chunk: Buffer) => {
        this.captured = (this.captured + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS);
        if (this.captured.slice(startedAt).includes('"msg":"agent ready"')) {
          clearTimeout(timer);
          resolveStart();
        }
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before it was ready`));
    });
  }

  /** SIGTERM (the agent finishes its running step), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    await this.signalAndWait('SIGTERM', graceMs);
  }

  /** SIGKILL at once: a crash, for tests of recovery. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL', 5_000);
  }

  private async signalAndWait(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
