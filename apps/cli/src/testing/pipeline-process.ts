import { errorMessage } from '@conveyor/errors';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort, waitFor } from '@conveyor/testing';
import { REPO_ROOT } from './cli-process';

export const ADMIN_TOKEN = 'cli-test-bootstrap-admin-token-0123456789';

export interface PipelineProcess {
  url: string;
  /** Issues an API token with the bootstrap admin token. */
  issueToken(name: string, role: string): Promise<string>;
  stop(): Promise<void>;
  output(): string;
}

/**
 * The real pipeline service as its own process (apps/pipeline/src/main.ts): the CLI's tests talk
 * to it over HTTP exactly as operators do. A process rather than the pipeline's in-process test
 * harness, because an app may not import another app (docs/adr/0002-module-boundaries.md).
 */
export async function startPipelineProcess(amqpUrl: string, databaseUrl: string): Promise<PipelineProcess> {
  const port = await findFreePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('apps', 'pipeline', 'src', 'main.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        AMQP_URL: amqpUrl,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        PIPELINE_ADMIN_TOKEN: ADMIN_TOKEN,
        DATABASE_POOL_SIZE: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      'the pipeline to answer /health',
      async () => {
        if (child.exitCode !== null) throw new Error(`the pipeline exited with ${child.exitCode}: ${output}`);
        return (await fetch(`${url}/health`).catch(() => null))?.status === 200;
      },
      { timeoutMs: 45_000, intervalMs: 200 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${errorMessage(error)}\n${output}`);
  }
  return {
    url,
    output: () => output,
    async issueToken(name, role) {
      const response = await fetch(`${url}/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, role }),
      });
      if (response.status !== 201)
        throw new Error(`POST /tokens answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
