import amqplib from 'amqplib';
import { Client } from 'pg';
import { signCheckpoint } from '@conveyor/audit-chain';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { createEnvelope, EVENTS_EXCHANGE } from '@conveyor/messaging';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { startPipeline, type StartedPipeline } from '../testing/pipeline-harness';

describe('the pipeline keeps the audit log’s checkpoints (real RabbitMQ and PostgreSQL)', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let pipeline: StartedPipeline;
  let admin: Client;
  const keys = generateSigningKeyPair();
  const checkpoint = (seq: number, digit: string) =>
    signCheckpoint({ seq, headHash: digit.repeat(64), time: new Date().toISOString() }, keys.privateKeyPem);

  async function announce(data: ReturnType<typeof checkpoint>): Promise<void> {
    // As the audit service publishes it: its own broker user, user_id set.
    const connection = await amqplib.connect(vhost.urlFor('audit'));
    try {
      const channel = await connection.createConfirmChannel();
      const envelope = createEnvelope('audit', 'audit.checkpoint.created', data);
      channel.publish(EVENTS_EXCHANGE, envelope.type, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        messageId: envelope.id,
        userId: 'conveyor-audit',
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  }

  async function kept(): Promise<{ seq: string; head_hash: string }[]> {
    return (await admin.query('SELECT seq, head_hash FROM pipeline.audit_checkpoints ORDER BY seq')).rows as {
      seq: string;
      head_hash: string;
    }[];
  }

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    pipeline = await startPipeline(vhost.urlFor('pipeline'), database.url);
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await pipeline?.service.close().catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('stores each announced checkpoint in its own schema and never replaces the first one seen for a seq', async () => {
    await announce(checkpoint(10, 'a'));
    await announce(checkpoint(20, 'b'));
    await waitFor('two checkpoints kept', async () => (await kept()).length === 2, { timeoutMs: 15_000 });
    // A later, different checkpoint for seq 20 (a rewritten chain signing again) changes nothing.
    await announce(checkpoint(20, 'c'));
    await announce(checkpoint(30, 'd'));
    await waitFor('the third checkpoint', async () => (await kept()).length === 3, { timeoutMs: 15_000 });
    expect(await kept()).toEqual([
      { seq: '10', head_hash: 'a'.repeat(64) },
      { seq: '20', head_hash: 'b'.repeat(64) },
      { seq: '30', head_hash: 'd'.repeat(64) },
    ]);
    const owner = await admin.query(
      `SELECT tableowner FROM pg_tables WHERE schemaname = 'pipeline' AND tablename = 'audit_checkpoints'`,
    );
    expect(owner.rows[0]).toEqual({ tableowner: database.logins.runtime.pipeline });
  });
});
