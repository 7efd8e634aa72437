// Finds or starts what Conveyor needs on this machine: RabbitMQ (with its management API),
// PostgreSQL and the HAProxy binary. Used by `npm test`, `npm run dev`, `npm run demo` and CI.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

const log = (message) => process.stderr.write(`[services] ${message}\n`);

function canConnect(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function waitForPort(port, what, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not open port ${port} within ${seconds} s`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function aptInstall(packages) {
  if (!isRoot())
    throw new Error(`install ${packages.join(' ')} (e.g. sudo apt-get install -y ${packages.join(' ')})`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...packages]);
}

async function ensurePostgres() {
  if (await canConnect(5432)) return;
  if (!has('pg_ctlcluster')) aptInstall(['postgresql']);
  const version = readdirSync('/etc/postgresql')[0];
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  await waitForPort(5432, 'PostgreSQL', 30);
}

async function ensureRabbitmq() {
  if (!(await canConnect(5672))) {
    if (!has('rabbitmq-server')) aptInstall(['rabbitmq-server']);
    run('rabbitmq-server', ['-detached']);
    await waitForPort(5672, 'RabbitMQ', 90);
    run('rabbitmqctl', ['await_startup']);
  }
  if (!(await canConnect(15672))) {
    // The management API gives tests their own vhosts and lets them inspect queues.
    run('rabbitmq-plugins', ['enable', 'rabbitmq_management']);
    await waitForPort(15672, 'RabbitMQ management', 60);
  }
}

function ensureHaproxy() {
  if (existsSync('/usr/sbin/haproxy') || has('haproxy')) return;
  aptInstall(['haproxy']);
}

export async function ensureServices({ haproxy = true } = {}) {
  await ensurePostgres();
  await ensureRabbitmq();
  if (haproxy) ensureHaproxy();
}
