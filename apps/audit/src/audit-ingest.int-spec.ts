import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@conveyor/contracts';
import { createEnvelope } from '@conveyor/messaging';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { publishConcurrently, startAudit, type StartedAudit } from './testing/audit-harness';

describe('audit ingest from the bus (real RabbitMQ and PostgreSQL)', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let audit: StartedAudit;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    audit = await startAudit(vhost.urlFor('audit'), database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterAll(async () => {
    await audit?.service.close().catch(() => undefined);
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  async function chainFigures(): Promise<{
    total: number;
    distinct: number;
    maxSeq: number;
    minSeq: number;
  }> {
    const [row] = await db.query(
      `SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct, coalesce(max(seq), 0)::int AS "maxSeq", coalesce(min(seq), 0)::int AS "minSeq" FROM audit.entries`,
    );
    return row;
  }

  it('chains 10,000 events from several publishers at once with no gap and no fork, and a redelivery adds nothing', async () => {
    const envelopes: EventEnvelope[] = Array.from({ length: 10_000 }, (_, n) =>
      createEnvelope(
        'bench',
        'deployment.pause.requested',
        { deploymentId: randomUUID() },
        { subject: `deployment-${n % 37}`, actor: `user:${n % 5}` },
      ),
    );
    await publishConcurrently(vhost, envelopes, 4);
    await waitFor('10,000 entries', async () => (await chainFigures()).total >= 10_000, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    expect(await chainFigures()).toEqual({ total: 10_000, distinct: 10_000, minSeq: 1, maxSeq: 10_000 });
    const [links] = await db.query(
      `SELECT count(*)::int AS broken FROM audit.entries e JOIN audit.entries p ON p.seq = e.seq - 1 WHERE e.prev_hash <> p.hash`,
    );
    expect(links.broken).toBe(0);
    const report = (await (await audit.get('/audit/verify')).json()) as {
      ok: boolean;
      verifiedEntries: number;
      headSeq: number;
    };
    // The verification is recorded (entry 10,001, audit.access.recorded) before it runs.
    expect(report).toMatchObject({ ok: true, verifiedEntries: 10_001, headSeq: 10_001 });

    await publishConcurrently(vhost, envelopes.slice(0, 3_000), 3);
    const marker = createEnvelope('bench', 'deployment.pause.requested', { deploymentId: randomUUID() });
    await publishConcurrently(vhost, [marker], 1);
    await waitFor(
      'the marker after the copies',
      async () =>
        (await db.query(`SELECT 1 FROM audit.entries WHERE event_id = $1`, [marker.id])).length === 1,
      {
        timeoutMs: 30_000,
      },
    );
    await waitFor('the queue to drain', async () => (await vhost.queueDepth('conveyor.audit')) === 0, {
      timeoutMs: 30_000,
    });
    expect(await chainFigures()).toEqual({ total: 10_002, distinct: 10_002, minSeq: 1, maxSeq: 10_002 });
  });

  it('publishes its metrics', async () => {
    const text = await (await fetch(`${audit.baseUrl}/metrics`)).text();
    expect(text).toMatch(/^conveyor_audit_entries_total \d+/m);
    expect(text).toMatch(/^conveyor_audit_chain_head_seq 10002$/m);
    expect(text).toContain('conveyor_audit_append_seconds_bucket');
    expect(text).toContain('conveyor_audit_verify_failures_total');
  });
});
