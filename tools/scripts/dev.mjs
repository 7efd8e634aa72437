#!/usr/bin/env node
// `npm run dev`: installs what is missing, finds or starts RabbitMQ and PostgreSQL, creates the
// `conveyor` database, and runs every Conveyor service with its logs prefixed. Ctrl-C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServices } from './services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const services = [
  ['pipeline', 3000],
  ['orchestrator', 3001],
  ['pool-manager', 3002],
  ['verifier', 3003],
  ['audit', 3004],
];

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[dev] installing dependencies (npm ci)');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
await ensureServices({ haproxy: true });

const { Client } = await import('pg');
const admin = new Client({
  connectionString: process.env.POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
});
await admin.connect();
const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'conveyor'");
if (exists.rowCount === 0) await admin.query('CREATE DATABASE conveyor');
await admin.end();

const env = {
  ...process.env,
  AMQP_URL: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/conveyor',
  SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
};
const children = services.map(([name, port]) => {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}]`.padEnd(15);
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) process.stdout.write(`${prefix} ${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix} exited (${signal ?? code}); stopping everything`);
      stop(1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(
    () => process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

for (const [name, port] of services) {
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`[dev] ${name} on http://127.0.0.1:${port} (/health, /metrics)`);
}
console.log('[dev] all services are up; Ctrl-C stops them');
