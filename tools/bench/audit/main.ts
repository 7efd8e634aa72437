/**
 * `npm run bench -- audit [--entries N] [--ingest M] [--publishers P]`: the audit service runs as
 * its own process. M events (default min(N, 100,000)) are published by P publishers at once and
 * timed until they are all in the chain (ingest rate); the chain is then filled to N entries
 * directly, exported as NDJSON over HTTP (time, and the service's peak RSS during the export) and
 * verified offline in a child process (time and peak RSS). Creates and drops its own database and
 * vhost. The last line is one JSON object.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { type NewAuditEntry } from '@conveyor/audit-chain';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { createEnvelope } from '@conveyor/messaging';
import { newTestApiToken, publishAsPipeline } from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  findFreePort,
  waitFor,
  type TestVhost,
} from '@conveyor/testing';
import { AuditEntriesRepository } from '../../../apps/audit/src/chain/audit-entries.repository';
import { publishConcurrently } from '../../../apps/audit/src/testing/audit-harness';
import { startAuditProcess, type AuditProcess } from './audit-service.process';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    ingest: { type: 'string' },
    publishers: { type: 'string', default: '4' },
  },
});
const entries = Number(values.entries);
const ingest = Number(values.ingest ?? Math.min(entries, 100_000));
const publishers = Number(values.publishers);
for (const [name, value] of [
  ['entries', entries],
  ['ingest', ingest],
  ['publishers', publishers],
] as const) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${String(value)}`);
}
if (ingest > entries) throw new Error('--ingest cannot exceed --entries');

const ROOT = resolve(__dirname, '..', '..', '..');
/** The auditor's token, announced as the pipeline would (the service learns it from the bus). */
const AUDITOR = newTestApiToken('bench-auditor', 'auditor');
const TOKEN = AUDITOR.secret;
const FILL_BATCH = 5_000;

function log(message: string): void {
  process.stderr.write(`[bench audit] ${message}\n`);
}

async function chainedEvents(db: DataSource): Promise<number> {
  const [head] = (await db.query(`SELECT seq FROM audit.chain_head`)) as { seq: string }[];
  if (Number(head?.seq ?? 0) < ingest) return 0;
  const [row] = (await db.query(
    `SELECT count(*)::int AS n FROM audit.entries WHERE type = 'deployment.pause.requested'`,
  )) as { n: number }[];
  return row?.n ?? 0;
}

async function measureIngest(vhost: TestVhost, db: DataSource): Promise<number> {
  const envelopes = Array.from({ length: ingest }, (_, n) =>
    createEnvelope(
      'bench',
      'deployment.pause.requested',
      { deploymentId: randomUUID() },
      { subject: `deployment-${n % 97}`, actor: `user:bench-${n % 7}` },
    ),
  );
  const started = performance.now();
  await publishConcurrently(vhost, envelopes, publishers);
  log(`published ${ingest} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await waitFor('every published event in the chain', async () => (await chainedEvents(db)) >= ingest, {
    timeoutMs: 1_800_000,
    intervalMs: 100,
  });
  return ingest / ((performance.now() - started) / 1000);
}

/** Fills the chain to `entries` directly (same repository and head lock as the service). */
async function fill(db: DataSource): Promise<void> {
  const repository = new AuditEntriesRepository();
  const now = Date.now();
  for (;;) {
    const head = await repository.head(db.manager);
    const missing = entries - (head?.seq ?? 0);
    if (missing <= 0) return;
    const batch: NewAuditEntry[] = Array.from({ length: Math.min(FILL_BATCH, missing) }, (_, n) => ({
      eventId: randomUUID(),
      type: n % 3 === 0 ? 'deployment.batch.started' : 'pool.server.drained',
      subject: `deployment-${n % 97}`,
      correlationId: randomUUID(),
      actor: 'service:orchestrator',
      time: new Date(now + n).toISOString(),
      payload: {
        causationId: null,
        data: { batch: n % 7, servers: [`web-${n % 11}`, `web-${(n + 1) % 11}`] },
        source: 'orchestrator',
      },
    }));
    await db.transaction((manager) => repository.append(manager, batch));
  }
}

async function download(url: string, path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    get(url, { headers: { authorization: `Bearer ${TOKEN}` } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`GET ${url}: ${response.statusCode}`));
        response.resume();
        return;
      }
      const id = String(response.headers['x-audit-export-id']);
      pipeline(response, createWriteStream(path)).then(() => resolvePromise(id), reject);
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const [vhost, database] = await Promise.all([
    createTestVhost('conveyor-bench'),
    createTestDatabase('conveyor_bench'),
  ]);
  const directory = await mkdtemp(join(tmpdir(), 'bench-audit-'));
  let service: AuditProcess | undefined;
  let db: DataSource | undefined;
  try {
    const keys = generateSigningKeyPair();
    const publicKeyPath = join(directory, 'audit-public.pem');
    await writeFile(publicKeyPath, keys.publicKeyPem);
    // As in production: the schema migrated by its owner, the service running as its append-only login.
    await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/audit/src/main.ts', 'migrate'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_MIGRATION_URL: database.auditOwnerUrl },
      },
    );
    const checkpointDir = join(directory, 'checkpoints');
    await mkdir(checkpointDir);
    service = await startAuditProcess(ROOT, await findFreePort(), {
      AMQP_URL: vhost.urlFor('audit'),
      DATABASE_URL: database.loginUrl('audit'),
      AUDIT_CHECKPOINT_DIR: checkpointDir,
      AUDIT_SIGNING_KEY: keys.privateKeyPem,
      AUDIT_DATA_DIR: directory,
    });
    db = await new DataSource({ type: 'postgres', url: database.url, extra: { max: 4 } }).initialize();
    await publishAsPipeline(vhost.urlFor('pipeline'), [
      { type: 'identity.token.issued', data: AUDITOR.issued },
    ]);
    const known = db;
    await waitFor(
      'the audit service to know the auditor',
      async () =>
        (
          (await known.query(`SELECT count(*)::int AS n FROM audit.api_identities WHERE token_id = $1`, [
            AUDITOR.issued.tokenId,
          ])) as { n: number }[]
        )[0]?.n === 1,
    );

    const ingestPerS = await measureIngest(vhost, db);
    log(`ingest: ${ingestPerS.toFixed(0)} entries/s`);
    const fillStarted = performance.now();
    await fill(db);
    log(`filled to ${entries} entries in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);

    const exportPath = join(directory, 'audit.ndjson');
    const manifestPath = join(directory, 'audit.manifest.json');
    await service.resetPeakRss();
    const exportStarted = performance.now();
    const exportId = await download(`${service.baseUrl}/audit/export?format=ndjson`, exportPath);
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    const exportRssMb = await service.peakRssMb();
    const manifest = await fetch(`${service.baseUrl}/audit/exports/${exportId}/manifest`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await writeFile(manifestPath, await manifest.text());
    log(
      `export: ${exportSeconds.toFixed(2)} s, ${((await stat(exportPath)).size / 1e6).toFixed(0)} MB, service peak RSS ${exportRssMb.toFixed(0)} MB`,
    );

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, 'verify-child.ts'),
        exportPath,
        manifestPath,
        publicKeyPath,
      ],
      { cwd: ROOT, maxBuffer: 1024 * 1024 },
    );
    const verified = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      ok: boolean;
      count: number;
      seconds: number;
      peakRssMb: number;
    };
    log(
      `verify: ${verified.seconds.toFixed(2)} s, ok=${verified.ok}, ${verified.count} entries, peak RSS ${verified.peakRssMb.toFixed(0)} MB`,
    );
    if (!verified.ok || verified.count < entries) throw new Error(`the export did not verify: ${stdout}`);

    const round = (value: number, digits: number) => Number(value.toFixed(digits));
    const result = {
      bench: 'audit',
      ingest_per_s: Math.round(ingestPerS),
      export_seconds: round(exportSeconds, 2),
      verify_seconds: round(verified.seconds, 2),
      peak_rss_mb: Math.round(Math.max(exportRssMb, verified.peakRssMb)),
      entries: verified.count,
      export_rss_mb: Math.round(exportRssMb),
      verify_rss_mb: Math.round(verified.peakRssMb),
      ingested: ingest,
      publishers,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db?.destroy().catch(() => undefined);
    await service?.stop();
    await Promise.all([vhost.delete(), database.drop(), rm(directory, { recursive: true, force: true })]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench audit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
