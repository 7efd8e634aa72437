import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const CONVEYOR_BIN = join(REPO_ROOT, 'apps', 'cli', 'bin', 'conveyor.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `conveyor` as a separate process, as Jenkins or an operator would, with only the
 * environment given (plus PATH and a HOME without a config file), stdin closed, output piped.
 */
export function conveyor(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return startConveyor(args, env, options).finished;
}

/** Starts `conveyor` and returns at once: `output` fills as it runs (for --watch), `finished` resolves when it exits. */
export function startConveyor(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; timeoutMs?: number } = {},
): { output: CliRun; finished: Promise<CliRun> } {
  const run: CliRun = { code: null, stdout: '', stderr: '' };
  const finished = new Promise<CliRun>((resolve, reject) => {
    const child = spawn(process.execPath, [CONVEYOR_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: join(tmpdir(), 'conveyor-cli-test-home-without-config'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    });
  });
  return { output: run, finished };
}
