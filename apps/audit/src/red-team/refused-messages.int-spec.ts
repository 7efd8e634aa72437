import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import { DataSource } from 'typeorm';
import { createEnvelope, EVENTS_EXCHANGE } from '@conveyor/messaging';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { publishConcurrently, startAudit, type StartedAudit } from '../testing/audit-harness';

/**
 * Forged messages reach the audit service too (it reads `#`). It must record each as a refusal —
 * raw body, routing key, user_id, reason — and never as the event the body claims to be.
 */
describe('red team: the audit log records refused messages as refusals', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let audit: StartedAudit;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost('conveyor-red-team'), createTestDatabase()]);
    audit = await startAudit(vhost.urlFor('audit'), database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await vhost.addAgent('web-1');
  });

  afterAll(async () => {
    await audit?.service.close().catch(() => undefined);
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  async function publishAs(url: string, routingKey: string, body: string, userId?: string): Promise<void> {
    const connection = await amqplib.connect(url);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(body), {
        persistent: true,
        messageId: randomUUID(),
        ...(userId === undefined ? {} : { userId }),
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  }

  it("records an agent's deployment.requested on routing key agent.heartbeat as a refusal, not as a deployment request", async () => {
    const claimed = createEnvelope('pipeline', 'deployment.abort.requested', {
      deploymentId: randomUUID(),
      reason: 'forged',
    });
    const body = JSON.stringify(claimed);
    await publishAs(vhost.urlFor('agent:web-1'), 'agent.heartbeat', body, 'conveyor-agent-web-1');

    const [entry] = await waitFor(
      'the refusal entry',
      async () => {
        const rows = (await db.query(
          `SELECT type, actor, payload FROM audit.entries WHERE type = 'bus.message.refused'`,
        )) as { type: string; actor: string; payload: string }[];
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(entry?.actor).toBe('broker-user:conveyor-agent-web-1');
    expect(JSON.parse(entry?.payload ?? '{}')).toMatchObject({
      code: 'routing_key_mismatch',
      routingKey: 'agent.heartbeat',
      userId: 'conveyor-agent-web-1',
      claimedType: 'deployment.abort.requested',
      rawBody: body,
      reason: 'routing key "agent.heartbeat" is not the envelope\'s type "deployment.abort.requested"',
    });
    // Nothing changed: the claimed event is not in the chain under its type or its id.
    expect(await db.query(`SELECT 1 FROM audit.entries WHERE event_id = $1`, [claimed.id])).toEqual([]);
    expect(await db.query(`SELECT 1 FROM audit.entries WHERE type = 'deployment.abort.requested'`)).toEqual(
      [],
    );
    // And it is dead-lettered with the reason.
    const [dead] = await waitFor('the dead letter', async () => {
      const peeked = await vhost.peek('conveyor.audit.dead-letter', 10);
      return peeked.length > 0 ? peeked : undefined;
    });
    expect(dead?.headers['x-conveyor-refused']).toBe('routing_key_mismatch');
  });

  it("records a service's event published as guest (no producer) as a refusal; the producer's own is chained as the event", async () => {
    const forged = createEnvelope('pipeline', 'deployment.abort.requested', {
      deploymentId: randomUUID(),
      reason: 'forged',
    });
    await publishAs(vhost.adminUrl, forged.type, JSON.stringify(forged), 'guest');
    const genuine = createEnvelope('pipeline', 'deployment.abort.requested', {
      deploymentId: randomUUID(),
      reason: 'forged',
    });
    await publishConcurrently(vhost, [genuine], 1);

    await waitFor(
      'the genuine event',
      async () =>
        (await db.query(`SELECT 1 FROM audit.entries WHERE event_id = $1`, [genuine.id])).length === 1,
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    const refusals = (await db.query(
      `SELECT payload FROM audit.entries WHERE type = 'bus.message.refused' AND actor = 'broker-user:guest'`,
    )) as { payload: string }[];
    expect(refusals.map((row) => JSON.parse(row.payload) as { code: string })).toEqual([
      expect.objectContaining({ code: 'wrong_producer', userId: 'guest' }),
    ]);
    expect(await db.query(`SELECT 1 FROM audit.entries WHERE event_id = $1`, [forged.id])).toEqual([]);
    const report = (await (await audit.get('/audit/verify')).json()) as { ok: boolean };
    expect(report.ok).toBe(true);
  });

  it('records an event of an unknown type as a refusal when no producer published it or its routing key is not its type', async () => {
    const base = createEnvelope('pipeline', 'deployment.abort.requested', {
      deploymentId: randomUUID(),
      reason: 'forged',
    });
    const fromGuest = { ...base, id: randomUUID(), type: 'deployment.purge.requested', data: { all: true } };
    await publishAs(vhost.adminUrl, fromGuest.type, JSON.stringify(fromGuest), 'guest');
    const offKey = { ...base, id: randomUUID(), type: 'agent.firmware.flashed', data: { nodeId: 'web-1' } };
    await publishAs(
      vhost.urlFor('agent:web-1'),
      'agent.heartbeat',
      JSON.stringify(offKey),
      'conveyor-agent-web-1',
    );

    const refusals = await waitFor(
      'both refusals',
      async () => {
        const rows = (await db.query(
          `SELECT payload FROM audit.entries WHERE type = 'bus.message.refused' AND payload::jsonb->>'claimedType' IN ('deployment.purge.requested', 'agent.firmware.flashed')`,
        )) as { payload: string }[];
        return rows.length === 2
          ? rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>)
          : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'unknown_publisher',
          userId: 'guest',
          claimedType: 'deployment.purge.requested',
        }),
        expect.objectContaining({
          code: 'routing_key_mismatch',
          userId: 'conveyor-agent-web-1',
          claimedType: 'agent.firmware.flashed',
        }),
      ]),
    );
    // Never recorded as the events they claim to be.
    for (const forged of [fromGuest, offKey]) {
      expect(
        await db.query(`SELECT 1 FROM audit.entries WHERE event_id = $1 OR type = $2`, [
          forged.id,
          forged.type,
        ]),
      ).toEqual([]);
    }
    const dead = await waitFor('their dead letters', async () => {
      const peeked = (await vhost.peek('conveyor.audit.dead-letter', 50)).filter(
        (message) => message.headers['x-conveyor-refused'] === 'unknown_publisher',
      );
      return peeked.length > 0 ? peeked : undefined;
    });
    expect(dead[0]?.routingKey).toBeDefined();
  });
});
