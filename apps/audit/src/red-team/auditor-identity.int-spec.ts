import { DataSource } from 'typeorm';
import { createEnvelope } from '@conveyor/messaging';
import type { EventEnvelope } from '@conveyor/contracts';
import { newTestApiToken, type TestApiToken } from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { publishConcurrently, startAudit, type StartedAudit } from '../testing/audit-harness';

interface AccessEntry {
  seq: number;
  actor: string;
  subject: string | null;
  data: {
    action: string;
    status: number;
    role: string;
    path: string;
    filters: Record<string, unknown>;
    exportId?: string;
    reason?: string;
  };
}

/**
 * Red team: the auditor API accepts only the pipeline's people with the auditor (or admin) role,
 * learns issuance and revocation from the bus like any service, and records every use — and
 * every refusal of a known person — in the chain it guards.
 */
describe('red team: who may read the audit log, and that reading it is recorded', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let audit: StartedAudit;
  const alice = newTestApiToken('alice@example.com', 'auditor');
  const bob = newTestApiToken('bob@example.com', 'deployer');
  const carol = newTestApiToken('carol@example.com', 'auditor');
  const root = newTestApiToken('root@example.com', 'admin');

  /** Publishes as the pipeline does (same contract, through the events exchange). */
  const fromPipeline = (envelopes: EventEnvelope[]) => publishConcurrently(vhost, envelopes, 1);
  const issued = (token: TestApiToken) =>
    createEnvelope('pipeline', 'identity.token.issued', token.issued, {
      actor: 'admin:bootstrap',
      subject: token.issued.tokenId,
    });
  const count = async (sql: string, params: unknown[] = []) =>
    ((await db.query(sql, params)) as { n: number }[])[0]?.n ?? 0;
  const entryCount = () => count(`SELECT count(*)::int AS n FROM audit.entries`);
  const accessEntries = async (actor: string): Promise<AccessEntry[]> =>
    (
      (await db.query(
        `SELECT seq, actor, subject, payload FROM audit.entries WHERE type = 'audit.access.recorded' AND actor = $1 ORDER BY seq`,
        [actor],
      )) as { seq: number; actor: string; subject: string | null; payload: string }[]
    ).map((row) => ({
      seq: Number(row.seq),
      actor: row.actor,
      subject: row.subject,
      data: (JSON.parse(row.payload) as { data: AccessEntry['data'] }).data,
    }));
  const knows = (token: TestApiToken) =>
    waitFor(
      `the audit service to know ${token.issued.name}`,
      async () =>
        (await count(`SELECT count(*)::int AS n FROM audit.api_identities WHERE token_id = $1`, [
          token.issued.tokenId,
        ])) === 1,
    );

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    audit = await startAudit(vhost.urlFor('audit'), database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await fromPipeline([alice, bob, carol, root].map(issued));
    for (const token of [alice, bob, carol, root]) await knows(token);
  });

  afterAll(async () => {
    await audit?.service.close().catch(() => undefined);
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('records the issued tokens in the chain with the hash of their secret, never the secret', async () => {
    const rows = (await db.query(
      `SELECT payload FROM audit.entries WHERE type = 'identity.token.issued'`,
    )) as { payload: string }[];
    expect(rows).toHaveLength(4);
    const text = rows.map((row) => row.payload).join('\n');
    for (const token of [alice, bob, carol, root]) {
      expect(text).toContain(token.issued.tokenHash);
      expect(text).not.toContain(token.secret);
    }
  });

  it('answers 401 to no token, a malformed header, a wrong token, and records nothing', async () => {
    const before = await entryCount();
    for (const path of ['/audit/events', '/audit/export', '/audit/verify', '/audit/evidence/d-1']) {
      expect((await audit.get(path, null)).status).toBe(401);
      expect((await audit.get(path, `${alice.secret}x`)).status).toBe(401);
      expect((await audit.get(path, 'cvy_guessed')).status).toBe(401);
    }
    const malformed = await fetch(`${audit.baseUrl}/audit/events`, {
      headers: { authorization: `Basic ${alice.secret}` },
    });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { message: string }).message).toBe(
      'the Authorization header must be "Bearer <token>"',
    );
    // 401s are not chained: anyone could fill the log with them (they are logged, not recorded).
    expect(await entryCount()).toBe(before);
  });

  it("refuses a deployer's token on every route with 403, records each refusal with their name, and exports nothing", async () => {
    const manifestsBefore = await count(`SELECT count(*)::int AS n FROM audit.export_manifests`);
    const paths = [
      '/audit/events?actor=user:alice',
      '/audit/export?format=csv',
      '/audit/evidence/d-1',
      '/audit/verify',
      '/audit/exports/6f1c2a4e-8a55-4b8e-9d61-0c1b7b0f8a11/manifest',
    ];
    for (const path of paths) {
      const response = await audit.get(path, bob.secret);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(
        /^role deployer may not GET \/audit\/.*; allowed roles: auditor, admin$/,
      );
    }
    const refusals = await accessEntries('bob@example.com');
    expect(refusals.map((r) => [r.data.action, r.data.status, r.data.role])).toEqual([
      ['events', 403, 'deployer'],
      ['export', 403, 'deployer'],
      ['evidence', 403, 'deployer'],
      ['verify', 403, 'deployer'],
      ['manifest', 403, 'deployer'],
    ]);
    expect(refusals[0]?.data.filters).toEqual({ actor: 'user:alice' });
    expect(await count(`SELECT count(*)::int AS n FROM audit.export_manifests`)).toBe(manifestsBefore);
  });

  it("records an auditor's query, export, manifest download and verification with their name and filters", async () => {
    const events = await audit.get('/audit/events?type=identity.token.issued&limit=10', alice.secret);
    expect(events.status).toBe(200);
    const exported = await audit.get(
      '/audit/export?format=csv&fromTime=2020-01-01T00:00:00Z&actor=admin:bootstrap',
      alice.secret,
    );
    expect(exported.status).toBe(200);
    await exported.text();
    const exportId = exported.headers.get('x-audit-export-id');
    expect((await audit.get(`/audit/exports/${String(exportId)}/manifest`, alice.secret)).status).toBe(200);
    const verified = await audit.get('/audit/verify', alice.secret);
    expect(((await verified.json()) as { ok: boolean }).ok).toBe(true);

    const recorded = await accessEntries('alice@example.com');
    expect(recorded.map((r) => [r.data.action, r.data.status, r.data.role])).toEqual([
      ['events', 200, 'auditor'],
      ['export', 200, 'auditor'],
      ['manifest', 200, 'auditor'],
      ['verify', 200, 'auditor'],
    ]);
    expect(recorded[0]?.data.filters).toEqual({ types: ['identity.token.issued'], limit: 10, afterSeq: 0 });
    expect(recorded[1]?.data).toMatchObject({
      filters: { fromTime: '2020-01-01T00:00:00Z', actor: 'admin:bootstrap' },
      exportId,
      path: '/audit/export?format=csv&fromTime=2020-01-01T00:00:00Z&actor=admin:bootstrap',
    });
    expect(recorded[1]?.subject).toBe(exportId);
    expect(recorded[2]?.data.exportId).toBe(exportId);
    // An admin may read too, and is recorded as themself.
    expect((await audit.get('/audit/verify', root.secret)).status).toBe(200);
    expect((await accessEntries('root@example.com')).map((r) => r.data.role)).toEqual(['admin']);
  });

  it('refuses a revoked token at once, and a stale announcement does not bring it back', async () => {
    expect((await audit.get('/audit/verify', carol.secret)).status).toBe(200);
    await fromPipeline([
      createEnvelope(
        'pipeline',
        'identity.token.revoked',
        {
          tokenId: carol.issued.tokenId,
          name: carol.issued.name,
          role: 'auditor',
          revokedAt: new Date().toISOString(),
          revokedBy: 'admin:bootstrap',
        },
        { actor: 'admin:bootstrap', subject: carol.issued.tokenId },
      ),
    ]);
    await waitFor(
      'the revocation to reach the read model',
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM audit.api_identities WHERE token_id = $1 AND revoked_at IS NOT NULL`,
          [carol.issued.tokenId],
        )) === 1,
    );
    expect((await audit.get('/audit/verify', carol.secret)).status).toBe(401);
    // An older announcement that still lists her token as active arrives late.
    await fromPipeline([
      createEnvelope('pipeline', 'identity.tokens.announced', {
        announcedAt: carol.issued.issuedAt,
        part: 1,
        parts: 1,
        tokens: [{ ...carol.issued, revokedAt: null }],
      }),
    ]);
    await waitFor(
      'the stale announcement to be chained',
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM audit.entries WHERE type = 'identity.tokens.announced'`,
        )) === 1,
    );
    expect((await audit.get('/audit/events', carol.secret)).status).toBe(401);
    expect((await accessEntries('carol@example.com')).map((r) => r.data.status)).toEqual([200]);
  });

  it('answers 400 naming the field to year 0 and to instants out of range, and records nothing', async () => {
    const before = await entryCount();
    const cases: [string, string][] = [
      ['/audit/events?fromTime=0000-01-01T00:00:00Z', 'fromTime'],
      ['/audit/events?toTime=0000-06-15T12:00:00%2B02:00', 'toTime'],
      ['/audit/export?fromTime=0001-01-01T00:00:00%2B01:00', 'fromTime'],
      ['/audit/export?toTime=9999-12-31T23:00:00-05:00', 'toTime'],
      ['/audit/events?fromTime=2025-13-01T00:00:00Z', 'fromTime'],
    ];
    for (const [path, field] of cases) {
      const response = await audit.get(path, alice.secret);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { problems: string[] };
      expect(body.problems.map((problem) => problem.split(':')[0])).toEqual([`query.${field}`]);
    }
    expect(await entryCount()).toBe(before);
  });
});
