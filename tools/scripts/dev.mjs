#!/usr/bin/env node
// `npm run dev`: installs what is missing, finds or starts RabbitMQ and PostgreSQL, creates the
// `conveyor` database with one login per service (tools/scripts/dev-database-logins.ts), migrates
// the audit schema as its owner, loads deploy/rabbitmq/definitions.json (vhost `conveyor`, one
// least-privileged user per service with its development password) and runs every Conveyor service
// as its own database login and broker user, with its logs prefixed. Ctrl-C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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
const adminUrl = process.env.POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new Client({ connectionString: adminUrl });
await admin.connect();
const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'conveyor'");
if (exists.rowCount === 0) await admin.query('CREATE DATABASE conveyor');
await admin.end();

// The broker's users, permissions, exchanges and queues, generated from the contracts
// (`npm run rabbitmq:definitions`), loaded as the local administrator (guest on a development broker).
const management = process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://127.0.0.1:15672';
const rabbitAdmin = process.env.RABBITMQ_ADMIN ?? 'guest:guest';
const loaded = await fetch(`${management}/api/definitions`, {
  method: 'POST',
  headers: {
    authorization: `Basic ${Buffer.from(rabbitAdmin).toString('base64')}`,
    'content-type': 'application/json',
  },
  body: readFileSync(join(root, 'deploy', 'rabbitmq', 'definitions.json'), 'utf8'),
});
if (!loaded.ok) {
  console.error(
    `[dev] loading deploy/rabbitmq/definitions.json failed: ${loaded.status} ${await loaded.text()}`,
  );
  process.exit(1);
}
const amqpHost = process.env.RABBITMQ_HOST ?? '127.0.0.1:5672';
/** Each service's own user and development password (deploy/README.md); never guest. */
const amqpUrlOf = (name) => `amqp://conveyor-${name}:dev-${name}@${amqpHost}/conveyor`;

const swc = { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.json') };
// One login per service (dev passwords, as in Docker Compose); the URLs come back as JSON.
const conveyorAdminUrl = new URL(adminUrl);
conveyorAdminUrl.pathname = '/conveyor';
const loginsRun = spawnSync(
  process.execPath,
  ['-r', '@swc-node/register', 'tools/scripts/dev-database-logins.ts', conveyorAdminUrl.toString()],
  { cwd: root, env: swc, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (loginsRun.status !== 0) process.exit(loginsRun.status ?? 1);
const databaseLogins = JSON.parse(loginsRun.stdout);
// The audit schema is migrated by its owner, once; the audit service runs as its append-only login.
const migrate = spawnSync(
  process.execPath,
  ['-r', '@swc-node/register', 'apps/audit/src/main.ts', 'migrate'],
  {
    cwd: root,
    env: { ...swc, DATABASE_MIGRATION_URL: databaseLogins.auditMigration },
    stdio: 'inherit',
  },
);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const env = {
  ...process.env,
  AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR ?? join(root, 'data', 'audit', 'checkpoints'),
  // Development only: the audit log generates its signing key into its data directory.
  AUDIT_GENERATE_KEY: process.env.AUDIT_GENERATE_KEY ?? 'true',
  SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
};
mkdirSync(env.AUDIT_CHECKPOINT_DIR, { recursive: true });
const children = services.map(([name, port]) => {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`], {
    cwd: root,
    env: {
      ...env,
      AMQP_URL: amqpUrlOf(name),
      DATABASE_URL: databaseLogins.runtime[name],
      PORT: String(port),
    },
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
