#!/usr/bin/env node
// `npm test`: the whole suite — every project's unit and integration tests against the real
// RabbitMQ, PostgreSQL and HAProxy — then one plain closing line `N passed, N failed`.
// Extra arguments go to jest, e.g. `npm test -- libs/messaging` or `npm test -- --selectProjects contracts`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServices } from './services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsFile = join(root, 'tmp', 'jest-results.json');
mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });

await ensureServices({ haproxy: true });

const jest = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    '-c',
    join(root, 'jest.config.js'),
    '--ci',
    '--maxWorkers=2',
    '--json',
    `--outputFile=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_NO_CLOUD: 'true', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  },
);

let summary;
try {
  summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  console.error(`jest wrote no results (exit ${jest.status ?? jest.signal})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const failedSuites = summary.numFailedTestSuites + (summary.numRuntimeErrorTestSuites ?? 0);
const failed = summary.numFailedTests + (failedSuites > 0 && summary.numFailedTests === 0 ? failedSuites : 0);
console.log(
  `\n${summary.numTotalTestSuites} suites: ${summary.numPassedTestSuites} passed, ${failedSuites} failed`,
);
console.log(`${summary.numPassedTests} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 && summary.numPassedTests > 0 ? 0 : 1);
