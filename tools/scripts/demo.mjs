#!/usr/bin/env node
// `npm run demo`: installs what is missing (dependencies; HAProxy from Debian), finds or starts
// RabbitMQ and PostgreSQL, then runs the end-to-end scenario of tools/demo (see the README).
// Arguments go to the scenario: `npm run demo -- --servers 6 --clients 8 --keep`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[demo] installing dependencies (npm ci)');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const { ensureServices } = await import('./services.mjs');
await ensureServices({ haproxy: true });

const child = spawn(
  process.execPath,
  ['-r', '@swc-node/register', 'tools/demo/src/main.ts', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
  },
);
// Ctrl-C reaches the scenario too (same process group); it cleans up and exits.
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
