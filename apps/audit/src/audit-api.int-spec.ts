import { randomUUID } from 'node:crypto';
import { writeFile, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { verifyExport, type ExportVerificationReport } from '@conveyor/audit-chain';
import { createEnvelope } from '@conveyor/messaging';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { CheckpointService } from './chain/checkpoint.service';
import { publishConcurrently, startAudit, type StartedAudit } from './testing/audit-harness';

const DEPLOYMENT = randomUUID();

describe('the auditor API (real RabbitMQ and PostgreSQL)', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let audit: StartedAudit;
  let directory: string;

  /** Downloads an export and its manifest, then verifies them offline with the public key. */
  async function exportAndVerify(
    path: string,
    name: string,
    edit?: (text: string) => string,
  ): Promise<ExportVerificationReport> {
    const response = await audit.get(path);
    expect(response.status).toBe(200);
    const body = await response.text();
    const id = response.headers.get('x-audit-export-id');
    const manifest = await audit.get(`/audit/exports/${String(id)}/manifest`);
    expect(manifest.status).toBe(200);
    const exportPath = join(directory, name);
    const manifestPath = join(directory, `${name}.manifest.json`);
    await writeFile(exportPath, edit ? edit(body) : body);
    await writeFile(manifestPath, await manifest.text());
    return verifyExport({ exportPath, manifestPath, publicKeyPem: audit.keys.publicKeyPem });
  }

  async function verifyChainApi(): Promise<{
    ok: boolean;
    firstBadSeq: number | null;
    reason: string | null;
  }> {
    return (await (await audit.get('/audit/verify')).json()) as {
      ok: boolean;
      firstBadSeq: number | null;
      reason: string | null;
    };
  }

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    directory = await mkdtemp(join(tmpdir(), 'audit-api-'));
    audit = await startAudit(vhost.urlFor('audit'), database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    const envelopes = Array.from({ length: 120 }, (_, n) =>
      createEnvelope(
        'pipeline',
        'deployment.pause.requested',
        { deploymentId: randomUUID() },
        {
          subject: n % 4 === 0 ? DEPLOYMENT : `other-${n}`,
          actor: n % 3 === 0 ? 'user:alice' : 'service:orchestrator',
        },
      ),
    );
    await publishConcurrently(vhost, envelopes, 2);
    await waitFor(
      '120 entries',
      async () => (await db.query(`SELECT count(*)::int AS n FROM audit.entries`))[0].n === 120,
      { timeoutMs: 30_000 },
    );
    await audit.service.app.get(CheckpointService).signNow();
    // The checkpoint's announcement comes back through the bus as entry 121.
    await waitFor(
      'the checkpoint announcement',
      async () => (await db.query(`SELECT count(*)::int AS n FROM audit.entries`))[0].n === 121,
      { timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    await audit?.service.close().catch(() => undefined);
    await db?.destroy();
    await Promise.all([
      vhost?.delete(),
      database?.drop(),
      directory ? rm(directory, { recursive: true, force: true }) : undefined,
    ]);
  });

  it('refuses requests without the auditor token', async () => {
    expect((await audit.get('/audit/events', null)).status).toBe(401);
    expect((await audit.get('/audit/verify', 'wrong-token')).status).toBe(401);
  });

  it('pages through filtered entries with a cursor', async () => {
    const first = (await (await audit.get('/audit/events?limit=50')).json()) as {
      entries: { seq: number }[];
      nextCursor: string;
    };
    expect(first.entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const second = (await (await audit.get(`/audit/events?limit=50&cursor=${first.nextCursor}`)).json()) as {
      entries: { seq: number }[];
    };
    expect(second.entries[0]!.seq).toBe(51);
    const alice = (await (
      await audit.get('/audit/events?actor=user:alice&type=deployment.pause.requested&limit=1000')
    ).json()) as {
      entries: { actor: string }[];
      nextCursor: string | null;
    };
    expect(alice.entries).toHaveLength(40);
    expect(alice.entries.every((e) => e.actor === 'user:alice')).toBe(true);
    expect(alice.nextCursor).toBeNull();
  });

  it('answers 400 naming the wrong parameter', async () => {
    const cases: [string, string][] = [
      ['/audit/export?format=xml', 'format'],
      ['/audit/events?fromTime=yesterday', 'fromTime'],
      ['/audit/events?fromTime=0000-01-01T00:00:00Z', 'fromTime'],
      ['/audit/export?toTime=0000-12-31T23:00:00Z', 'toTime'],
      ['/audit/events?limit=0', 'limit'],
      ['/audit/events?cursor=bogus', 'cursor'],
      ['/audit/events?subjet=x', 'subjet'],
      ['/audit/export?fromSeq=10&toSeq=2', 'toSeq'],
      [`/audit/evidence/${DEPLOYMENT}?format=pdf`, 'format'],
    ];
    for (const [path, parameter] of cases) {
      const response = await audit.get(path);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; problems: string[] };
      expect(body.error).toBe('invalid query');
      expect(body.problems.map((problem) => problem.split(':')[0])).toEqual([`query.${parameter}`]);
    }
  });

  it('exports in both formats with a manifest that offline verification recomputes', async () => {
    for (const format of ['ndjson', 'csv'] as const) {
      const report = await exportAndVerify(`/audit/export?format=${format}`, `all.${format}`);
      // 121 entries, then every recorded use of the API so far (this export's own included).
      expect(report).toMatchObject({ ok: true, firstSeq: 1, mode: 'contiguous' });
      expect(report.count).toBeGreaterThan(121);
      expect(report.lastSeq).toBe(report.count);
      expect(report.checkpoint).toMatchObject({ seq: 120, coverage: 'entry-matches' });
    }
    const filtered = await exportAndVerify('/audit/export?format=csv&actor=user:alice', 'alice.csv');
    expect(filtered).toMatchObject({ ok: true, count: 40, mode: 'subset' });
    const range = await exportAndVerify('/audit/export?fromSeq=10&toSeq=30', 'range.ndjson');
    expect(range).toMatchObject({ ok: true, count: 21, firstSeq: 10, lastSeq: 30, checkpoint: null });
  });

  it('gives every entry of one deployment as evidence with its manifest', async () => {
    const report = await exportAndVerify(`/audit/evidence/${DEPLOYMENT}`, 'evidence.ndjson');
    expect(report).toMatchObject({ ok: true, count: 30, mode: 'subset' });
    const manifest = JSON.parse(await readFile(join(directory, 'evidence.ndjson.manifest.json'), 'utf8')) as {
      filters: unknown;
    };
    expect(manifest.filters).toEqual({ relatedTo: DEPLOYMENT });
  });

  it('fails offline verification of an export edited by one character', async () => {
    let editedSeq = 0;
    const report = await exportAndVerify('/audit/export', 'edited.ndjson', (text) => {
      editedSeq = text.split('\n').findIndex((line) => line.includes('user:alice')) + 1;
      return text.replace('user:alice', 'user:alicf');
    });
    expect(editedSeq).toBeGreaterThan(0);
    if (report.ok) throw new Error('an edited export verified');
    expect(report.firstBadSeq).toBe(editedSeq);
    expect(report.problems.map((p) => p.code)).toContain('hash-mismatch');
  });

  it('refuses UPDATE, DELETE and TRUNCATE on entries, and the writer role has no such privilege', async () => {
    await expect(db.query(`UPDATE audit.entries SET actor = 'mallory' WHERE seq = 3`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(db.query(`DELETE FROM audit.entries WHERE seq = 3`)).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    await expect(db.query(`TRUNCATE audit.entries`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const runner = db.createQueryRunner();
    try {
      await runner.query('SET ROLE conveyor_audit_writer');
      await expect(runner.query(`DELETE FROM audit.entries WHERE seq = 3`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(runner.query(`UPDATE audit.checkpoints SET seq = 1`)).rejects.toThrow(/permission denied/);
    } finally {
      await runner.query('RESET ROLE');
      await runner.release();
    }
  });

  it('finds an entry altered with the triggers disabled, in the database and in an export', async () => {
    expect(await verifyChainApi()).toMatchObject({ ok: true });
    await db.transaction(async (manager) => {
      await manager.query(`ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only`);
      await manager.query(`UPDATE audit.entries SET actor = 'user:mallory' WHERE seq = 7`);
      await manager.query(`ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only`);
    });
    expect(await verifyChainApi()).toMatchObject({ ok: false, firstBadSeq: 7, reason: 'hash-mismatch' });
    const report = await exportAndVerify('/audit/export', 'tampered.ndjson');
    expect(report).toMatchObject({ ok: false, firstBadSeq: 7 });
    const metrics = await (await fetch(`${audit.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^conveyor_audit_verify_failures_total [1-9]/m);
  });
});
