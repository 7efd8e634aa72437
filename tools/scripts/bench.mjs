#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs tools/bench/<name>/main.ts; its last line is one JSON object.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServices } from './services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(join(root, 'tools', 'bench')).filter((d) =>
  existsSync(join(root, 'tools', 'bench', d, 'main.ts')),
);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]   (benchmarks: ${available.join(', ')})`);
  process.exit(2);
}
await ensureServices({ haproxy: true });
const result = spawnSync(
  process.execPath,
  ['-r', '@swc-node/register', join('tools', 'bench', name, 'main.ts'), ...args],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
  },
);
process.exit(result.status ?? 1);
