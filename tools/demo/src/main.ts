import { errorMessage } from '@conveyor/errors';
/**
 * `npm run demo`: the whole system on this machine (see README). Prints progress, then a summary;
 * the last line is one JSON object. Exit 0 only if no customer request failed and every check held.
 */
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo, type DemoSummary } from './demo-scenario';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '6' },
    clients: { type: 'string', default: '8' },
    keep: { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const productionServers = Number(values.servers);
  if (!Number.isInteger(productionServers) || productionServers < 2 || productionServers > 20) {
    console.error(`--servers must be a whole number from 2 to 20, got ${values.servers}`);
    return 2;
  }
  const workDir = await mkdtemp(join(tmpdir(), 'conveyor-demo-'));
  const started = Date.now();
  const log = (line: string) =>
    console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);
  log(`working in ${workDir}`);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  try {
    const summary = await runDemo({
      workDir,
      productionServers,
      loadConcurrency: Number(values.clients),
      log,
    });
    printSummary(summary);
    return summary.ok ? 0 : 1;
  } finally {
    if (!values.keep) await rm(workDir, { recursive: true, force: true });
  }
}

function printSummary(summary: DemoSummary): void {
  const { load } = summary;
  console.log('\n=== Summary ===');
  console.log(
    `customer requests through HAProxy: ${load.sent} sent (${load.slow} long), ${load.failed} failed`,
  );
  for (const failure of load.failures) console.log(`  failed: ${failure}`);
  console.log(
    `answered by version: ${Object.entries(load.versions)
      .map(([v, n]) => `${v}: ${n}`)
      .join(', ')}`,
  );
  console.log('deployments:');
  for (const d of summary.deployments) {
    console.log(
      `  ${d.version.padEnd(6)} ${d.environment.padEnd(8)} ${d.status.padEnd(12)} ${((d.durationMs ?? 0) / 1000).toFixed(1)} s${d.reason ? `  ${d.reason}` : ''}`,
    );
  }
  console.log(
    `servers: ${Object.entries(summary.serverVersions)
      .map(([id, v]) => `${id}=${v}`)
      .join(' ')}`,
  );
  console.log(
    `audit export: ${summary.audit.verified ? 'verified offline' : 'NOT verified'} (${summary.audit.detail})`,
  );
  for (const check of summary.checks)
    console.log(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name} — ${check.detail}`);
  const deployments: Record<string, { status: string; seconds: number }> = {};
  for (const d of summary.deployments)
    deployments[`${d.version}@${d.environment}`] = {
      status: d.status,
      seconds: Math.round((d.durationMs ?? 0) / 100) / 10,
    };
  console.log(
    JSON.stringify({
      demo: summary.ok ? 'ok' : 'failed',
      requests: load.sent,
      failed: load.failed,
      deployments,
      servers: summary.serverVersions,
      audit_verified: summary.audit.verified,
      audit_entries: summary.audit.entries,
    }),
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    console.log(JSON.stringify({ demo: 'failed', error: errorMessage(error) }));
    process.exit(1);
  },
);
