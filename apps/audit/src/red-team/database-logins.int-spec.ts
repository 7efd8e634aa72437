import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { checkpointFileName, verifyExport, type SignedCheckpoint } from '@conveyor/audit-chain';
import { createEnvelope } from '@conveyor/messaging';
import { SERVICE_SCHEMAS, type ConveyorService } from '@conveyor/persistence';
import { startService, testServiceEnv } from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { auditService } from '../audit.boot';
import { CheckpointService } from '../chain/checkpoint.service';
import { publishConcurrently, startAudit, type StartedAudit } from '../testing/audit-harness';

const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
const INSUFFICIENT_PRIVILEGE = '42501';

interface ChainState {
  entries: number;
  lastHash: string;
  checkpoints: number;
  head: string;
}

/**
 * Attacks on the audit log through the database: each service's login and the audit service's own
 * runtime login try to change or remove the chain, and are refused by PostgreSQL itself; the schema
 * owner (a DBA) can remove the tail, and the offline verifier, given a checkpoint published earlier
 * outside the database, reports it.
 */
describe('red team: the audit chain against database logins (real PostgreSQL)', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let admin: Client;
  let audit: StartedAudit;
  let published: SignedCheckpoint;
  let directory: string;

  async function connect(url: string): Promise<Client> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  }

  async function chainState(): Promise<ChainState> {
    const { rows } = await admin.query<ChainState>(
      `SELECT (SELECT count(*)::int FROM audit.entries) AS entries,
              (SELECT hash FROM audit.entries ORDER BY seq DESC LIMIT 1) AS "lastHash",
              (SELECT count(*)::int FROM audit.checkpoints) AS checkpoints,
              (SELECT seq || ':' || hash FROM audit.chain_head) AS head`,
    );
    return rows[0]!;
  }

  /** Runs `sql` and returns the PostgreSQL error code and message it fails with (or "succeeded"). */
  async function refusal(client: Client, sql: string): Promise<string> {
    try {
      await client.query(sql);
      return 'succeeded';
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      return `${code ?? '?'} ${message}`;
    }
  }

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    directory = await mkdtemp(join(tmpdir(), 'audit-red-team-'));
    audit = await startAudit(vhost.urlFor('audit'), database.url);
    admin = await connect(database.url);
    const envelopes = Array.from({ length: 30 }, (_, n) =>
      createEnvelope(
        'pipeline',
        'deployment.pause.requested',
        { deploymentId: randomUUID() },
        {
          subject: `deployment-${n}`,
          actor: 'user:alice',
        },
      ),
    );
    await publishConcurrently(vhost, envelopes, 2);
    await waitFor('30 entries', async () => (await chainState()).entries === 30, { timeoutMs: 30_000 });
    published = (await audit.service.app.get(CheckpointService).signNow())!;
    // Its announcement comes back through the bus as entry 31.
    await waitFor('the checkpoint announcement', async () => (await chainState()).entries === 31, {
      timeoutMs: 30_000,
    });
  });

  afterAll(async () => {
    await audit?.service.close().catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await Promise.all([
      vhost?.delete(),
      database?.drop(),
      directory ? rm(directory, { recursive: true, force: true }) : undefined,
      audit ? rm(audit.checkpointDir, { recursive: true, force: true }) : undefined,
    ]);
  });

  it('publishes each signed checkpoint as a file of AUDIT_CHECKPOINT_DIR, created once', async () => {
    expect(published.seq).toBe(30);
    expect(await readdir(audit.checkpointDir)).toEqual([checkpointFileName(30)]);
  });

  it('the audit runtime login cannot change, remove or unprotect the chain, nor become the owner', async () => {
    const before = await chainState();
    const writer = await connect(database.loginUrl('audit'));
    try {
      const owner = database.logins.auditOwner;
      const attempts = {
        setRoleOwner: await refusal(writer, `SET ROLE "${owner}"`),
        setSessionAuthorization: await refusal(writer, `SET SESSION AUTHORIZATION "${owner}"`),
        disableTrigger: await refusal(writer, 'ALTER TABLE audit.entries DISABLE TRIGGER ALL'),
        disableCheckpointTrigger: await refusal(writer, 'ALTER TABLE audit.checkpoints DISABLE TRIGGER ALL'),
        deleteEntries: await refusal(writer, 'DELETE FROM audit.entries WHERE seq > 20'),
        updateEntries: await refusal(writer, "UPDATE audit.entries SET actor = 'user:mallory' WHERE seq = 1"),
        truncateEntries: await refusal(writer, 'TRUNCATE audit.entries'),
        deleteCheckpoints: await refusal(writer, 'DELETE FROM audit.checkpoints'),
        updateCheckpoints: await refusal(writer, "UPDATE audit.checkpoints SET head_hash = 'x'"),
        truncateCheckpoints: await refusal(writer, 'TRUNCATE audit.checkpoints'),
        deleteManifests: await refusal(writer, 'DELETE FROM audit.export_manifests'),
        dropTable: await refusal(writer, 'DROP TABLE audit.entries'),
        dropTrigger: await refusal(writer, 'DROP TRIGGER entries_append_only ON audit.entries'),
        replaceTriggerFunction: await refusal(
          writer,
          'CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$',
        ),
      };
      for (const [attempt, outcome] of Object.entries(attempts))
        expect([attempt, outcome]).toEqual([
          attempt,
          expect.stringMatching(new RegExp(`^${INSUFFICIENT_PRIVILEGE} `)),
        ]);
      expect(attempts.setRoleOwner).toContain('permission denied to set role');
      expect(attempts.disableTrigger).toContain('must be owner of table entries');
      expect(attempts.deleteEntries).toContain('permission denied for table entries');

      // GRANT without the grant option only warns "no privileges were granted": still no DELETE.
      await writer.query(`GRANT DELETE ON audit.entries TO "${database.logins.runtime.audit}"`);
      const granted = await writer.query<{ may: boolean }>(
        `SELECT has_table_privilege(session_user, 'audit.entries', 'DELETE') AS may`,
      );
      expect(granted.rows[0]!.may).toBe(false);

      // RESET ROLE cannot fail, and changes nothing: the session is still the runtime login.
      await writer.query('RESET ROLE');
      const { rows } = await writer.query<{ user: string }>('SELECT current_user AS user');
      expect(rows[0]!.user).toBe(database.logins.runtime.audit);
      expect(await refusal(writer, 'DELETE FROM audit.entries')).toMatch(
        /^42501 permission denied for table entries/,
      );
    } finally {
      await writer.end();
    }
    expect(await chainState()).toEqual(before);
    const report = (await (await audit.get('/audit/verify')).json()) as { ok: boolean };
    expect(report.ok).toBe(true);
  });

  it.each((Object.keys(SERVICE_SCHEMAS) as ConveyorService[]).filter((service) => service !== 'audit'))(
    'the %s login cannot read, write or reach the audit schema',
    async (service) => {
      const before = await chainState();
      const client = await connect(database.loginUrl(service));
      try {
        const attempts = [
          await refusal(client, 'SELECT count(*) FROM audit.entries'),
          await refusal(
            client,
            `INSERT INTO audit.checkpoints (seq, head_hash, time, signature, key_id) VALUES (99, 'x', 'x', 'x', 'x')`,
          ),
          await refusal(client, 'DELETE FROM audit.entries'),
          await refusal(client, 'TRUNCATE audit.entries'),
          await refusal(client, `SET ROLE "${database.logins.auditOwner}"`),
          await refusal(client, 'SET ROLE conveyor_audit_writer'),
          await refusal(client, `SELECT count(*) FROM pipeline.outbox WHERE false`),
        ];
        expect(attempts.slice(0, 4)).toEqual(
          Array.from({ length: 4 }, () => expect.stringMatching(/^42501 permission denied for schema audit/)),
        );
        expect(attempts[4]).toMatch(/^42501 permission denied to set role/);
        expect(attempts[5]).toMatch(/^42501 permission denied to set role/);
        // Its own schema is its own; another service's is not.
        if (service !== 'pipeline')
          expect(attempts[6]).toMatch(/^42501 permission denied for schema pipeline/);
      } finally {
        await client.end();
      }
      expect(await chainState()).toEqual(before);
    },
  );

  it('refuses to start the audit service as the schema owner (or any login that could rewrite the chain)', async () => {
    const env = {
      ...testServiceEnv(vhost.urlFor('audit'), database.auditOwnerUrl),
      AMQP_PREFETCH: 2_000,
      AUDIT_SIGNING_KEY: audit.keys.privateKeyPem,
      AUDIT_GENERATE_KEY: false,
      AUDIT_DATA_DIR: directory,
      AUDIT_CHECKPOINT_DIR: directory,
      AUDIT_CHECKPOINT_EVERY: 10_000_000,
      AUDIT_CHECKPOINT_INTERVAL_MS: 86_400_000,
      AUDIT_BATCH_MAX: 1_000,
      AUDIT_BATCH_WAIT_MS: 5,
      AUDIT_PAGE_SIZE: 500,
    };
    await expect(startService(auditService, env)).rejects.toThrow(
      /DATABASE_URL must be the audit service's append-only login.*owns the audit schema/,
    );
    await expect(startService(auditService, { ...env, DATABASE_URL: database.url })).rejects.toThrow(
      /is a superuser/,
    );
  });

  it('a DBA who deletes the tail (entries, checkpoints, head) is caught by the checkpoint published earlier', async () => {
    // The schema owner may disable the triggers (that is what owning means) and rewrite the tail.
    const dba = await connect(database.auditOwnerUrl);
    try {
      await dba.query('BEGIN');
      await dba.query('ALTER TABLE audit.entries DISABLE TRIGGER USER');
      await dba.query('ALTER TABLE audit.checkpoints DISABLE TRIGGER USER');
      await dba.query('DELETE FROM audit.entries WHERE seq > 25');
      await dba.query('DELETE FROM audit.checkpoints WHERE seq > 25');
      await dba.query(
        `UPDATE audit.chain_head SET seq = 25, hash = (SELECT hash FROM audit.entries WHERE seq = 25)`,
      );
      await dba.query('ALTER TABLE audit.entries ENABLE TRIGGER USER');
      await dba.query('ALTER TABLE audit.checkpoints ENABLE TRIGGER USER');
      await dba.query('COMMIT');
    } finally {
      await dba.end();
    }
    expect(await chainState()).toMatchObject({ entries: 25, checkpoints: 0 });

    // Everything inside the database is consistent again: the chain verifies, the export verifies alone.
    expect(((await (await audit.get('/audit/verify')).json()) as { ok: boolean }).ok).toBe(true);
    const response = await audit.get('/audit/export?format=ndjson');
    expect(response.status).toBe(200);
    const body = await response.text();
    const manifest = await audit.get(
      `/audit/exports/${String(response.headers.get('x-audit-export-id'))}/manifest`,
    );
    const exportPath = join(directory, 'audit.ndjson');
    const manifestPath = join(directory, 'audit.manifest.json');
    const publicKeyPath = join(directory, 'audit-public.pem');
    await writeFile(exportPath, body);
    await writeFile(manifestPath, await manifest.text());
    await writeFile(publicKeyPath, audit.keys.publicKeyPem);
    const alone = await verifyExport({ exportPath, manifestPath, publicKeyPem: audit.keys.publicKeyPem });
    // 25 left by the DBA, then the auditor's own verification (26) and this export (27), both recorded.
    expect(alone).toMatchObject({ ok: true, lastSeq: 27 });

    // The checkpoint published outside the database before the deletion says the chain reached 30.
    const checkpointPath = join(audit.checkpointDir, checkpointFileName(30));
    const withCheckpoint = await verifyExport({
      exportPath,
      manifestPath,
      publicKeyPem: audit.keys.publicKeyPem,
      publishedCheckpointPath: checkpointPath,
    });
    expect(withCheckpoint).toMatchObject({
      ok: false,
      firstBadSeq: 30,
      problems: [expect.objectContaining({ code: 'truncated-tail', seq: 30 })],
    });

    // And so does the offline verifier an auditor runs: a clear message, exit code 1.
    const cli = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'tools/audit-verify/verify.ts',
        '--export',
        exportPath,
        '--manifest',
        manifestPath,
        '--public-key',
        publicKeyPath,
        '--checkpoint',
        checkpointPath,
      ],
      {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
        env: { ...process.env, SWC_NODE_PROJECT: join(REPOSITORY_ROOT, 'tsconfig.json') },
      },
    );
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('truncated-tail [seq 30]');
    expect(cli.stdout).toContain('this export ends at seq 27');
  });
});
