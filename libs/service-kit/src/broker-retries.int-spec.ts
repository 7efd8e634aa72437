import { randomUUID } from 'node:crypto';
import { Controller, type DynamicModule } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { EventMap } from '@conveyor/contracts';
import {
  DEAD_LETTER_EXCHANGE,
  EventContext,
  OnEvent,
  TransactionalBus,
  createEnvelope,
  deadLetterQueueName,
  retryQueueName,
  serviceQueueName,
} from '@conveyor/messaging';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { startService, type RunningService } from './run-service';
import { testServiceEnv } from './testing-support';

type Behaviour = (data: EventMap['deployment.pause.requested'], ctx: EventContext) => Promise<void>;

function receivedTable(schema: string): new () => MigrationInterface {
  return class ReceivedTable1732600000002 implements MigrationInterface {
    name = 'ReceivedTable1732600000002';
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(
        `CREATE TABLE "${schema}".received (event_id uuid NOT NULL, deployment_id uuid NOT NULL, attempt int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
      );
    }
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE "${schema}".received`);
    }
  };
}

function recordingModule(schema: string, behaviour?: Behaviour) {
  @Controller()
  class RecordingHandlers {
    @OnEvent('deployment.pause.requested')
    async onPause(@Payload() data: EventMap['deployment.pause.requested'], @Ctx() ctx: EventContext) {
      if (behaviour) await behaviour(data, ctx);
      await ctx.unit.manager.query(
        `INSERT INTO "${schema}".received (event_id, deployment_id, attempt) VALUES ($1, $2, $3)`,
        [ctx.envelope.id, data.deploymentId, ctx.delivery.attempt],
      );
    }
  }
  class RecordingModule {}
  return (kit: DynamicModule): DynamicModule => ({
    module: RecordingModule,
    imports: [kit],
    controllers: [RecordingHandlers],
  });
}

const ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function asPostgresAdmin(sql: string): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

describe('retries through the broker, and pausing while the database is down', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  const running: RunningService[] = [];
  let db: DataSource;

  async function start(
    name: string,
    behaviour?: Behaviour,
    overrides: Parameters<typeof testServiceEnv>[2] = {},
  ): Promise<RunningService> {
    const schema = name.replace(/-/g, '_');
    const service = await startService(
      {
        name,
        schema,
        defaultPort: 0,
        migrations: [receivedTable(schema)],
        module: recordingModule(schema, behaviour),
      },
      testServiceEnv(vhost.urlFor('pipeline'), database.url, overrides),
    );
    running.push(service);
    return service;
  }

  async function rows(schema: string, deploymentId?: string) {
    return (await db.query(
      `SELECT event_id, deployment_id, attempt, at FROM "${schema}".received
       WHERE $1::uuid IS NULL OR deployment_id = $1::uuid ORDER BY at`,
      [deploymentId ?? null],
    )) as { event_id: string; deployment_id: string; attempt: number; at: Date }[];
  }

  async function emitPause(service: RunningService, deploymentId: string): Promise<void> {
    await service.app.get(TransactionalBus).transaction(async (unit) => {
      unit.emit('deployment.pause.requested', { deploymentId });
    });
  }

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    await vhost.allowTestServices('pipeline', [
      'flaky',
      'poisoned',
      'forged',
      'outlasting',
      'outlasting-producer',
      'replayer',
    ]);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterEach(async () => {
    for (const service of running.splice(0).reverse()) await service.close().catch(() => undefined);
  });

  afterAll(async () => {
    await asPostgresAdmin(`ALTER DATABASE "${database?.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('redelivers a failing event after each retry queue delay, counting attempts in a header', async () => {
    const flakyId = randomUUID();
    const failures: number[] = [];
    const flaky = await start(
      'flaky',
      async (data, ctx) => {
        if (data.deploymentId === flakyId && ctx.delivery.attempt < 3) {
          failures.push(Date.now());
          throw new Error(`not yet (attempt ${ctx.delivery.attempt})`);
        }
      },
      { AMQP_MAX_ATTEMPTS: 4, AMQP_RETRY_DELAYS_MS: [500, 1_500] },
    );
    await emitPause(flaky, flakyId);
    await waitFor(
      'the flaky event to be handled on its third attempt',
      async () => (await rows('flaky', flakyId)).length === 1,
      {
        timeoutMs: 15_000,
      },
    );
    const [handled] = await rows('flaky', flakyId);
    expect(handled.attempt).toBe(3);
    expect(failures).toHaveLength(2);
    // Waited in conveyor.flaky.retry.1 (500 ms) then conveyor.flaky.retry.2 (1.5 s).
    expect(failures[1] - failures[0]).toBeGreaterThanOrEqual(450);
    expect(handled.at.getTime() - failures[1]).toBeGreaterThanOrEqual(1_400);
    const management = await fetch(
      `http://127.0.0.1:15672/api/queues/${encodeURIComponent(vhost.name)}/${encodeURIComponent(retryQueueName('flaky', 2))}`,
      { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } },
    );
    const queue = (await management.json()) as { arguments: Record<string, unknown>; durable: boolean };
    expect(queue.durable).toBe(true);
    expect(queue.arguments).toMatchObject({
      'x-message-ttl': 1_500,
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      'x-dead-letter-routing-key': serviceQueueName('flaky'),
    });
    expect(await vhost.queueDepth(deadLetterQueueName('flaky'))).toBe(0);
  });

  it('dead-letters after the last attempt with the reason and the original routing key and publisher', async () => {
    const poison = randomUUID();
    const poisoned = await start('poisoned', async (data, ctx) => {
      if (data.deploymentId === poison) throw new Error(`boom on attempt ${ctx.delivery.attempt}`);
    });
    await emitPause(poisoned, poison);
    const dlq = deadLetterQueueName('poisoned');
    await waitFor('the poison event dead-lettered', async () => (await vhost.queueDepth(dlq)) === 1, {
      timeoutMs: 15_000,
    });
    const [letter] = await vhost.peek(dlq, 1);
    expect(letter.headers['x-conveyor-error']).toBe('handler failed after 3 attempt(s): boom on attempt 3');
    expect(letter.headers['x-conveyor-attempts']).toBe(3);
    expect(letter.headers['x-conveyor-routing-key']).toBe('deployment.pause.requested');
    expect(letter.headers['x-conveyor-user-id']).toBe('conveyor-pipeline');
    expect(await rows('poisoned', poison)).toEqual([]);
  });

  it('refuses a message pushed onto the retry path by another broker user, whatever its headers claim', async () => {
    await start('forged');
    // The orchestrator may write to the dead-letter exchange, so it can route a message to the
    // service queue's retry binding; its user_id is its own, so the retry headers are not believed.
    const forged = createEnvelope('test', 'deployment.pause.requested', { deploymentId: randomUUID() });
    const connection = await amqplib.connect(vhost.urlFor('orchestrator'));
    const channel = await connection.createConfirmChannel();
    channel.publish(DEAD_LETTER_EXCHANGE, serviceQueueName('forged'), Buffer.from(JSON.stringify(forged)), {
      persistent: true,
      userId: 'conveyor-orchestrator',
      messageId: forged.id,
      headers: {
        'x-conveyor-attempt': 1,
        'x-conveyor-routing-key': 'deployment.pause.requested',
        'x-conveyor-user-id': 'conveyor-pipeline',
      },
    });
    await channel.waitForConfirms();
    await connection.close();
    const dlq = deadLetterQueueName('forged');
    await waitFor('the forged message refused', async () => (await vhost.queueDepth(dlq)) === 1);
    const [letter] = await vhost.peek(dlq, 1);
    expect(letter.headers['x-conveyor-refused']).toBe('routing_key_mismatch');
    expect(letter.headers['x-conveyor-user-id']).toBe('conveyor-orchestrator');
    expect(await rows('forged', forged.data.deploymentId)).toEqual([]);
  });

  it('pauses while its database refuses connections, then handles every event once and dead-letters none', async () => {
    const outlasting = await start('outlasting', undefined, {
      // In-process retries alone would have given up long before the database returns.
      AMQP_MAX_ATTEMPTS: 2,
      AMQP_RETRY_DELAYS_MS: [100],
    });
    const ids = Array.from({ length: 40 }, () => randomUUID());
    for (const id of ids.slice(0, 10)) await emitPause(outlasting, id);
    await waitFor('the first 10 handled', async () => (await rows('outlasting')).length === 10);

    // A producer with its own database keeps publishing while the consumer's database is gone.
    const producerDb = await createTestDatabase();
    const producer = await startService(
      {
        name: 'outlasting-producer',
        schema: 'producer',
        defaultPort: 0,
        module: (kit) => ({ module: class ProducerModule {}, imports: [kit] }),
      },
      testServiceEnv(vhost.urlFor('pipeline'), producerDb.url),
    );
    try {
      await db.destroy();
      await asPostgresAdmin(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS false`);
      await asPostgresAdmin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.name}' AND pid <> pg_backend_pid()`,
      );
      const outageStarted = Date.now();
      for (const id of ids.slice(10)) {
        await emitPause(producer, id);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const remaining = 15_000 - (Date.now() - outageStarted);
      if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
      expect(await vhost.queueDepth(deadLetterQueueName('outlasting'))).toBe(0);
      await asPostgresAdmin(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
      db = await new DataSource({ type: 'postgres', url: database.url }).initialize();

      await waitFor(
        'all 40 handled after the database returns',
        async () => (await rows('outlasting')).length >= 40,
        {
          timeoutMs: 30_000,
        },
      );
      const handled = await rows('outlasting');
      expect(handled).toHaveLength(40);
      expect(new Set(handled.map((row) => row.deployment_id))).toEqual(new Set(ids));
      // Held, not retried: no attempt was spent on the outage.
      expect(handled.every((row) => row.attempt === 1)).toBe(true);
      expect(await vhost.queueDepth(deadLetterQueueName('outlasting'))).toBe(0);
    } finally {
      await asPostgresAdmin(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
      if (!db.isInitialized) db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
      await producer.close();
      await producerDb.drop();
    }
  }, 90_000);

  it('replays a dead letter on an operator request, as its original publisher, and leaves letters it did not write', async () => {
    const stuck = randomUUID();
    let fixed = false;
    const replayer = await start('replayer', async (data) => {
      if (data.deploymentId === stuck && !fixed) throw new Error('not fixed yet');
    });
    await emitPause(replayer, stuck);
    const dlq = deadLetterQueueName('replayer');
    await waitFor('the event dead-lettered', async () => (await vhost.queueDepth(dlq)) === 1, {
      timeoutMs: 15_000,
    });
    const [letter] = await vhost.peek(dlq, 1);
    // A letter someone else put in the queue, claiming to be the pipeline's.
    const forged = createEnvelope('test', 'deployment.pause.requested', { deploymentId: randomUUID() });
    const connection = await amqplib.connect(vhost.urlFor('orchestrator'));
    const channel = await connection.createConfirmChannel();
    channel.publish(DEAD_LETTER_EXCHANGE, dlq, Buffer.from(JSON.stringify(forged)), {
      persistent: true,
      userId: 'conveyor-orchestrator',
      messageId: forged.id,
      headers: {
        'x-conveyor-routing-key': 'deployment.pause.requested',
        'x-conveyor-user-id': 'conveyor-pipeline',
      },
    });
    await channel.waitForConfirms();
    await connection.close();
    await waitFor('two letters', async () => (await vhost.queueDepth(dlq)) === 2);

    fixed = true;
    await replayer.app.get(TransactionalBus).transaction(async (unit) => {
      unit.emit(
        'deadletter.replay.requested',
        { service: 'replayer', queue: dlq, messageId: null, all: true },
        { actor: 'ops-alice' },
      );
    });
    await waitFor('the replayed event handled', async () => (await rows('replayer', stuck)).length === 1, {
      timeoutMs: 15_000,
    });
    expect(letter.messageId).toBeDefined();
    const [handled] = await rows('replayer', stuck);
    expect(handled.attempt).toBe(1);
    expect(await rows('replayer', forged.data.deploymentId)).toEqual([]);
    const left = await vhost.peek(dlq, 5);
    expect(left.map((entry) => entry.messageId)).toEqual([forged.id]);
  });
});
