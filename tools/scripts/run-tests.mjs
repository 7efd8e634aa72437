#!/usr/bin/env node
// `npm test`: the whole suite — every project's unit and integration tests against the real
// RabbitMQ, PostgreSQL and HAProxy — then one plain closing line `N passed, N failed`.
// Extra arguments go to jest, e.g. `npm test -- libs/messaging` or `npm test -- --selectProjects contracts`.
//
// The whole suite runs in two passes: everything else first (two workers), then the fault suite
// alone (tools/demo/src/faults: two replicas of every service and a fleet under load — run beside
// other tests it would load the machine it is judging, and theirs). With extra arguments, one pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServices } from './services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FAULT_SUITE = 'tools/demo/src/faults/';

await ensureServices({ haproxy: true });

/** One jest run; its summary, or null when jest wrote none. */
function runJest(name, args) {
  const resultsFile = join(root, 'tmp', `jest-results${name ? `-${name}` : ''}.json`);
  mkdirSync(dirname(resultsFile), { recursive: true });
  rmSync(resultsFile, { force: true });
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
      ...args,
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NX_NO_CLOUD: 'true', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    },
  );
  try {
    return { status: jest.status, summary: JSON.parse(readFileSync(resultsFile, 'utf8')) };
  } catch {
    console.error(`jest wrote no results (exit ${jest.status ?? jest.signal})`);
    return null;
  }
}

const extra = process.argv.slice(2);
const passes =
  extra.length > 0
    ? [runJest('', extra)]
    : [runJest('', ['--testPathIgnorePatterns', FAULT_SUITE]), runJest('faults', [FAULT_SUITE])];

if (passes.some((pass) => pass === null)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const total = (key) => passes.reduce((sum, pass) => sum + (pass.summary[key] ?? 0), 0);
const failedSuites = total('numFailedTestSuites') + total('numRuntimeErrorTestSuites');
const failedTests = total('numFailedTests');
const failed = failedTests + (failedSuites > 0 && failedTests === 0 ? failedSuites : 0);
const passed = total('numPassedTests');
console.log(
  `\n${total('numTotalTestSuites')} suites: ${total('numPassedTestSuites')} passed, ${failedSuites} failed`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(passes.every((pass) => pass.status === 0) && failed === 0 && passed > 0 ? 0 : 1);
