import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const CONVEYOR_BIN = join(REPO_ROOT, 'apps', 'cli', 'bin', 'conveyor.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `conveyor` command as an operator at a terminal would: its own process, only the URL and
 * token (and `otherSettings`, e.g. CONVEYOR_ORCHESTRATOR_URL) from the environment, no config file,
 * stdin closed. Resolves when it exits.
 */
export function conveyorCli(
  args: readonly string[],
  url: string,
  token: string,
  otherSettings: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const run: CliRun = { code: null, stdout: '', stderr: '' };
    const child = spawn(process.execPath, [CONVEYOR_BIN, ...args], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: join(tmpdir(), 'conveyor-cli-fault-suite-home'),
        CONVEYOR_URL: url,
        CONVEYOR_TOKEN: token,
        ...otherSettings,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    });
  });
}

/** One line for a report: the command, its exit code and what it said. */
export function describeRun(args: readonly string[], run: CliRun): string {
  return `conveyor ${args.join(' ')} → exit ${String(run.code)}: ${(run.stdout + run.stderr).trim().slice(0, 300)}`;
}
