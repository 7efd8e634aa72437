import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { DataSource } from 'typeorm';
import { verifyExport, type ExportVerificationReport } from '@conveyor/audit-chain';
import type { EventEnvelope } from '@conveyor/contracts';
import {
  ConfirmedPublisher,
  EventConsumer,
  EVENTS_EXCHANGE,
  connectAmqp,
  createEnvelope,
  servicePermissions,
  waitForConnection,
  type Delivery,
} from '@conveyor/messaging';
import { createLogger } from '@conveyor/observability';
import {
  ParticipantBus,
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { startAudit, type StartedAudit } from './testing/audit-harness';

/** A type version N has no contract for; version N+1 of the orchestrator publishes it. */
const NEW_TYPE = 'deployment.note.added';

/**
 * A rolling upgrade of Conveyor: producers of version N and N+1 publish side by side while the
 * consumers still run version N (this build). N+1 adds a field to `deployment.pause.requested`'s
 * data and an envelope attribute, and a new event type. The old consumer handles the newer event
 * and keeps what it does not know; the audit records the raw message beside its parsed view and
 * the new type, and the fields survive export and offline verification.
 */
describe('rolling upgrade: version N and N+1 side by side (real RabbitMQ and PostgreSQL)', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let audit: StartedAudit;
  let directory: string;
  let bus: ParticipantBus;
  const connections: AmqpConnectionManager[] = [];
  let oldConsumer: EventConsumer | undefined;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    directory = await mkdtemp(join(tmpdir(), 'audit-upgrade-'));
    audit = await startAudit(vhost.urlFor('audit'), database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    bus = new ParticipantBus(vhost);
  });

  afterAll(async () => {
    await oldConsumer?.stop().catch(() => undefined);
    await bus?.close();
    await Promise.all(connections.map((connection) => connection.close().catch(() => undefined)));
    await audit?.service.close().catch(() => undefined);
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
    await rm(directory, { recursive: true, force: true });
  });

  async function connectAs(participant: 'pipeline' | 'orchestrator'): Promise<ConfirmedPublisher> {
    const connection = connectAmqp(vhost.urlFor(participant), { connectionName: `n-plus-1-${participant}` });
    connections.push(connection);
    await waitForConnection(connection, 10_000);
    return new ConfirmedPublisher(connection, { sharedTopology: 'check' });
  }

  async function entryOf(eventId: string): Promise<{ type: string; payload: Record<string, unknown> }> {
    const rows = (await db.query(`SELECT type, payload FROM audit.entries WHERE event_id = $1`, [
      eventId,
    ])) as { type: string; payload: string }[];
    const row = rows[0];
    if (row === undefined) throw new Error(`no entry for ${eventId}`);
    return { type: row.type, payload: JSON.parse(row.payload) as Record<string, unknown> };
  }

  async function exportAndVerify(
    format: 'ndjson' | 'csv',
    edit?: (text: string) => string,
  ): Promise<{ body: string; report: ExportVerificationReport }> {
    const response = await audit.get(`/audit/export?format=${format}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    const manifest = await audit.get(
      `/audit/exports/${String(response.headers.get('x-audit-export-id'))}/manifest`,
    );
    const name = `export-${randomUUID()}.${format}`;
    await writeFile(join(directory, name), edit ? edit(body) : body);
    await writeFile(join(directory, `${name}.manifest.json`), await manifest.text());
    const report = await verifyExport({
      exportPath: join(directory, name),
      manifestPath: join(directory, `${name}.manifest.json`),
      publicKeyPem: audit.keys.publicKeyPem,
    });
    return { body, report };
  }

  it('an old consumer and the audit keep what a newer producer added; export and offline verify keep it too', async () => {
    // Version N of the orchestrator's consumer (this build), on the orchestrator's own queue.
    const orchestrator = connectAmqp(vhost.urlFor('orchestrator'), { connectionName: 'orchestrator-n' });
    connections.push(orchestrator);
    await waitForConnection(orchestrator, 10_000);
    const handled: { envelope: EventEnvelope; delivery: Delivery }[] = [];
    oldConsumer = new EventConsumer(orchestrator, {
      service: 'orchestrator',
      bindings: ['deployment.pause.requested', NEW_TYPE],
      publisher: new ConfirmedPublisher(orchestrator, { sharedTopology: 'check' }),
      logger: createLogger('orchestrator-n', { level: 'silent' }),
      sharedTopology: 'check',
      handle: async (envelope, delivery) => {
        handled.push({ envelope, delivery });
        return 'handled';
      },
    });
    await oldConsumer.start();

    // Version N of the pipeline publishes a pause request as this build knows it.
    const fromN = await bus.publish('deployment.pause.requested', { deploymentId: randomUUID() });

    // Version N+1 of the pipeline: the same type with a field N does not know in `data`, and a
    // new envelope attribute.
    const deploymentId = randomUUID();
    const fromNPlus1 = {
      ...createEnvelope('pipeline', 'deployment.pause.requested', { deploymentId }),
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    const newerBody = JSON.stringify({
      ...fromNPlus1,
      data: { deploymentId, reason: 'maintenance window', requestedFrom: { ui: 'console', version: 2 } },
    });
    await (
      await connectAs('pipeline')
    ).publish({ id: fromNPlus1.id, type: fromNPlus1.type, body: newerBody });

    // Version N+1 of the orchestrator publishes a type N has no contract for. The broker's topic
    // permissions come from N+1's definitions, deployed before N+1's services.
    const orchestratorTopic = servicePermissions('orchestrator', vhost.name).topicPermission;
    await putTopicPermission(vhost.name, 'conveyor-orchestrator', {
      exchange: orchestratorTopic.exchange,
      write: `(${orchestratorTopic.write})|^deployment\\.note\\.added$`,
      read: orchestratorTopic.read,
    });
    const note = {
      ...createEnvelope('orchestrator', 'deployment.pause.requested', { deploymentId }),
      type: NEW_TYPE,
      data: { deploymentId, note: 'paused for the maintenance window', by: 'orchestrator N+1' },
    };
    const noteBody = JSON.stringify(note);
    await (await connectAs('orchestrator')).publish({ id: note.id, type: NEW_TYPE, body: noteBody });

    // A new type from no producer (guest, the vhost administrator) is refused, not recorded as itself.
    const forged = { ...note, id: randomUUID(), data: { deploymentId, note: 'forged' } };
    await publishAsGuest(vhost.adminUrl, NEW_TYPE, JSON.stringify(forged));

    await waitFor(
      'the four messages in the chain',
      async () =>
        ((await db.query(`SELECT count(*)::int AS n FROM audit.entries`)) as { n: number }[])[0]?.n === 4,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    await waitFor('the old consumer to handle both pause requests', async () => handled.length >= 2, {
      timeoutMs: 30_000,
    });

    // The old consumer: its handler sees the fields it knows; nothing it does not know is lost.
    const newer = handled.find((item) => item.envelope.id === fromNPlus1.id);
    expect(newer?.envelope.data).toEqual({ deploymentId });
    expect(newer?.delivery.receivedData).toEqual({
      deploymentId,
      reason: 'maintenance window',
      requestedFrom: { ui: 'console', version: 2 },
    });
    expect(newer?.delivery.rawBody).toBe(newerBody);
    expect(handled.find((item) => item.envelope.id === fromN.id)?.envelope.data).toEqual({
      deploymentId: fromN.data.deploymentId,
    });
    // Other consumers still refuse a type they have no contract for: dead-lettered as invalid.
    const [deadNote] = await waitFor(
      'the new type in the old consumer’s dead letters',
      async () => {
        const peeked = await vhost.peek('conveyor.orchestrator.dead-letter', 10);
        return peeked.length > 0 ? peeked : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(deadNote?.headers).toMatchObject({
      'x-conveyor-routing-key': NEW_TYPE,
      'x-conveyor-error': `unknown event type "${NEW_TYPE}"`,
    });

    // The audit: the parsed view and the message exactly as received, side by side.
    const newerEntry = await entryOf(fromNPlus1.id);
    expect(newerEntry.type).toBe('deployment.pause.requested');
    expect(newerEntry.payload['data']).toEqual({ deploymentId });
    expect(newerEntry.payload['receivedEnvelope']).toBe(newerBody);
    expect((await entryOf(fromN.id)).payload['receivedEnvelope']).toBe(JSON.stringify(fromN));
    // The new type is recorded as itself, with its publisher, rather than dead-lettered.
    const noteEntry = await entryOf(note.id);
    expect(noteEntry).toEqual({
      type: NEW_TYPE,
      payload: {
        causationId: null,
        data: note.data,
        source: 'orchestrator',
        unknownType: true,
        publishedBy: 'conveyor-orchestrator',
        receivedEnvelope: noteBody,
      },
    });
    const [refusal] = (await db.query(
      `SELECT payload FROM audit.entries WHERE type = 'bus.message.refused'`,
    )) as { payload: string }[];
    expect(JSON.parse(refusal?.payload ?? '{}')).toMatchObject({
      code: 'unknown_publisher',
      claimedType: NEW_TYPE,
      userId: 'guest',
    });
    expect(
      (await db.query(`SELECT 1 FROM audit.entries WHERE event_id = $1`, [forged.id])) as unknown[],
    ).toHaveLength(0);

    // Export in both formats and verify offline: the fields N+1 added are in the export, covered
    // by the entries' hashes — one character changed in them fails verification.
    for (const format of ['ndjson', 'csv'] as const) {
      const { body, report } = await exportAndVerify(format);
      expect(report).toMatchObject({ ok: true });
      expect(body).toContain('maintenance window');
      expect(body).toContain('requestedFrom');
      expect(body).toContain('paused for the maintenance window');
      expect(body).toContain('traceparent');
      const edited = await exportAndVerify(format, (text) =>
        text.replace('maintenance window', 'maintenance windoW'),
      );
      expect(edited.report.ok).toBe(false);
    }
  });
});

async function putTopicPermission(
  vhost: string,
  user: string,
  permission: { exchange: string; write: string; read: string },
): Promise<void> {
  const management = process.env['TEST_RABBITMQ_MANAGEMENT_URL'] ?? 'http://127.0.0.1:15672';
  const response = await fetch(
    `${management}/api/topic-permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`,
    {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(permission),
    },
  );
  if (!response.ok) throw new Error(`topic permission: ${response.status} ${await response.text()}`);
}

async function publishAsGuest(adminUrl: string, routingKey: string, body: string): Promise<void> {
  const connection = await amqplib.connect(adminUrl);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(body), { persistent: true, userId: 'guest' });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
