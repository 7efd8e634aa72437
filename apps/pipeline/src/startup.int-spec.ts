import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';

const root = join(__dirname, '..', '..', '..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  stop(): Promise<void>;
  exited: Promise<void>;
}

function startPipeline(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/pipeline/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    code: null,
    signal: null,
    output: '',
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        run.code = code;
        run.signal = signal;
        resolve();
      }),
    ),
    async stop() {
      if (run.code === null) child.kill('SIGTERM');
      await run.exited;
    },
  };
  child.stdout.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  return run;
}

describe('a service process at start', () => {
  let vhost: TestVhost;
  let database: TestDatabase;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('refuses to start with AMQP_URL=nonsense, naming every wrong variable', async () => {
    const run = startPipeline({ AMQP_URL: 'nonsense', DATABASE_URL: database.url, PORT: 'eighty' });
    await run.exited;
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('pipeline cannot start, its environment is invalid');
    expect(run.output).toMatch(/AMQP_URL: must be an amqp:\/\/ or amqps:\/\/ URL/);
    expect(run.output).toMatch(/PORT: must be a port number/);
  });

  it('exits non-zero naming AMQP_URL when the broker cannot be reached', async () => {
    const run = startPipeline({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
      DATABASE_URL: database.url,
      AMQP_CONNECT_TIMEOUT_MS: '1500',
    });
    await run.exited;
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/pipeline failed to start: AMQP_URL \(amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1\)/);
  });

  it('serves /health and /metrics with a good environment, and stops cleanly on SIGTERM', async () => {
    const port = 30000 + Math.floor(Math.random() * 20000);
    const run = startPipeline({
      AMQP_URL: vhost.urlFor('pipeline'),
      DATABASE_URL: database.url,
      PORT: String(port),
    });
    try {
      const health = await waitFor(
        'pipeline /health',
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/health`);
          return response.ok
            ? ((await response.json()) as { info: Record<string, { status: string }> })
            : false;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(health.info).toEqual({ database: { status: 'up' }, rabbitmq: { status: 'up' } });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('process_cpu_seconds_total');
      expect(metrics).toContain('conveyor_events_published_total');
    } finally {
      await run.stop();
    }
    // SIGTERM: the consumer, the relay and the connections close, then the process exits 0.
    expect(run.code).toBe(0);
    expect(run.output).toContain('"msg":"pipeline started"');
    expect(run.output).toContain('"msg":"pipeline stopped"');
  });
});
