import { randomUUID } from 'node:crypto';
import { Controller, type DynamicModule } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import amqplib from 'amqplib';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { EventMap } from '@conveyor/contracts';
import {
  ConfirmedPublisher,
  EventContext,
  OnEvent,
  TransactionalBus,
  UnroutableEventError,
  createEnvelope,
  deadLetterQueueName,
  EVENTS_EXCHANGE,
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
  return class ReceivedTable1732600000001 implements MigrationInterface {
    name = 'ReceivedTable1732600000001';
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(
        `CREATE TABLE "${schema}".received (event_id uuid NOT NULL, deployment_id uuid NOT NULL)`,
      );
    }
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE "${schema}".received`);
    }
  };
}

/** A service that records every deployment.pause.requested it handles, in the inbox transaction. */
function recordingModule(schema: string, behaviour?: Behaviour) {
  @Controller()
  class RecordingHandlers {
    @OnEvent('deployment.pause.requested')
    async onPause(@Payload() data: EventMap['deployment.pause.requested'], @Ctx() ctx: EventContext) {
      if (behaviour) await behaviour(data, ctx);
      await ctx.unit.manager.query(
        `INSERT INTO "${schema}".received (event_id, deployment_id) VALUES ($1, $2)`,
        [ctx.envelope.id, data.deploymentId],
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

describe('the event bus against real RabbitMQ and PostgreSQL', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  const running: RunningService[] = [];
  let db: DataSource;

  async function start(name: string, behaviour?: Behaviour): Promise<RunningService> {
    const schema = name.replace(/-/g, '_');
    const service = await startService(
      {
        name,
        schema,
        defaultPort: 0,
        migrations: [receivedTable(schema)],
        module: recordingModule(schema, behaviour),
      },
      // Every test service runs as the pipeline's user (deployment.pause.requested is the pipeline's).
      testServiceEnv(vhost.urlFor('pipeline'), database.url),
    );
    running.push(service);
    return service;
  }

  async function received(
    schema: string,
    deploymentId?: string,
  ): Promise<{ total: number; distinct: number }> {
    const [row] = await db.query(
      `SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM "${schema}".received
       WHERE $1::uuid IS NULL OR deployment_id = $1::uuid`,
      [deploymentId ?? null],
    );
    return row;
  }

  async function emitPause(service: RunningService, deploymentId: string): Promise<void> {
    await service.app.get(TransactionalBus).transaction(async (unit) => {
      unit.emit('deployment.pause.requested', { deploymentId });
    });
  }

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    await vhost.allowTestServices('pipeline', [
      'producer',
      'alpha',
      'beta',
      'retrier',
      'validator',
      'deduper',
      'rollbacker',
      'lonely',
      'streamer',
      'sink',
    ]);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterEach(async () => {
    for (const service of running.splice(0).reverse()) await service.close().catch(() => undefined);
  });

  afterAll(async () => {
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('delivers one event to every service bound to it, and once to competing instances of one service', async () => {
    const producer = await start('producer');
    await start('alpha');
    await start('alpha');
    await start('beta');
    const deploymentIds = Array.from({ length: 20 }, () => randomUUID());
    for (const id of deploymentIds) await emitPause(producer, id);

    await waitFor('alpha and beta to handle all 20', async () => {
      const [a, b] = [await received('alpha'), await received('beta')];
      return a.total >= 20 && b.total >= 20;
    });
    expect(await received('alpha')).toEqual({ total: 20, distinct: 20 });
    expect(await received('beta')).toEqual({ total: 20, distinct: 20 });
  });

  it('retries a throwing handler, then dead-letters the event with the reason', async () => {
    const poison = randomUUID();
    let attempts = 0;
    const producer = await start('retrier', async (data) => {
      if (data.deploymentId === poison) {
        attempts += 1;
        throw new Error(`boom on attempt ${attempts}`);
      }
    });
    await emitPause(producer, poison);
    const fine = randomUUID();
    await emitPause(producer, fine);

    const dlq = deadLetterQueueName('retrier');
    await waitFor(
      'the poison event in the dead-letter queue',
      async () => (await vhost.queueDepth(dlq)) === 1,
      {
        timeoutMs: 20_000,
      },
    );
    // Three attempts by the broker's count. Delivery is at least once: on a loaded machine an ack
    // lost with its channel hands the same attempt over again, so the handler may run once more.
    expect(attempts).toBeGreaterThanOrEqual(3);
    const [letter] = await vhost.peek(dlq, 1);
    expect(letter.headers['x-conveyor-error']).toMatch(
      /^handler failed after 3 attempt\(s\): boom on attempt [34]$/,
    );
    expect(JSON.parse(letter.payload).data.deploymentId).toBe(poison);
    expect(await received('retrier', poison)).toEqual({ total: 0, distinct: 0 });
    expect(await received('retrier', fine)).toEqual({ total: 1, distinct: 1 });
  });

  it('dead-letters an invalid message at once with its validation error and handles the next one', async () => {
    await start('validator');
    const connection = await amqplib.connect(vhost.urlFor('pipeline'));
    const channel = await connection.createConfirmChannel();
    const bad = createEnvelope('test', 'deployment.pause.requested', { deploymentId: randomUUID() });
    const badBody = JSON.stringify({ ...bad, data: { deploymentId: 'not-a-uuid' } });
    channel.publish(EVENTS_EXCHANGE, 'deployment.pause.requested', Buffer.from(badBody), {
      persistent: true,
    });
    channel.publish(EVENTS_EXCHANGE, 'deployment.pause.requested', Buffer.from('{not json'), {
      persistent: true,
    });
    const good = createEnvelope('test', 'deployment.pause.requested', { deploymentId: randomUUID() });
    channel.publish(EVENTS_EXCHANGE, 'deployment.pause.requested', Buffer.from(JSON.stringify(good)), {
      persistent: true,
      userId: 'conveyor-pipeline',
    });
    await channel.waitForConfirms();
    await connection.close();

    await waitFor(
      'the valid event to be handled',
      async () => (await received('validator', good.data.deploymentId)).total === 1,
    );
    const dlq = deadLetterQueueName('validator');
    await waitFor('two dead letters', async () => (await vhost.queueDepth(dlq)) === 2);
    const reasons = (await vhost.peek(dlq, 2)).map((m) => String(m.headers['x-conveyor-error']));
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^invalid deployment.pause.requested: data.deploymentId: /),
        expect.stringMatching(/^not JSON: /),
      ]),
    );
  });

  it('handles a redelivered event once', async () => {
    const consumer = await start('deduper');
    const publisher = consumer.app.get(ConfirmedPublisher);
    const envelope = createEnvelope('test', 'deployment.pause.requested', { deploymentId: randomUUID() });
    const serialized = { id: envelope.id, type: envelope.type, body: JSON.stringify(envelope) };
    await publisher.publish(serialized);
    await publisher.publish(serialized);
    await publisher.publish(serialized);
    const after = createEnvelope('test', 'deployment.pause.requested', { deploymentId: randomUUID() });
    await publisher.publish({ id: after.id, type: after.type, body: JSON.stringify(after) });

    await waitFor(
      'the event after the copies',
      async () => (await received('deduper', after.data.deploymentId)).total === 1,
    );
    expect(await received('deduper', envelope.data.deploymentId)).toEqual({ total: 1, distinct: 1 });
  });

  it('publishes nothing from a rolled-back transaction', async () => {
    const service = await start('rollbacker');
    const doomed = randomUUID();
    await expect(
      service.app.get(TransactionalBus).transaction(async (unit) => {
        unit.emit('deployment.pause.requested', { deploymentId: doomed });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const marker = randomUUID();
    await emitPause(service, marker);
    await waitFor('the marker event', async () => (await received('rollbacker', marker)).total === 1);
    expect(await received('rollbacker', doomed)).toEqual({ total: 0, distinct: 0 });
    // The marker's own row may still be awaiting its delete; the doomed event never reached the outbox.
    const [outbox] = await db.query(
      `SELECT count(*)::int AS n FROM rollbacker.outbox WHERE envelope LIKE $1`,
      [`%${doomed}%`],
    );
    expect(outbox.n).toBe(0);
  });

  it('refuses an unroutable publish', async () => {
    const service = await start('lonely');
    // A key the pipeline's user may publish, which no queue of this vhost is bound to.
    const envelope = createEnvelope('test', 'deployment.resume.requested', { deploymentId: randomUUID() });
    await expect(
      service.app
        .get(ConfirmedPublisher)
        .publish({ id: envelope.id, type: envelope.type, body: JSON.stringify(envelope) }),
    ).rejects.toBeInstanceOf(UnroutableEventError);
  });

  it('loses and duplicates nothing of 5,000 outbox events when the broker drops every connection mid-stream', async () => {
    const producer = await start('streamer');
    await start('sink');
    const total = 5_000;
    const bus = producer.app.get(TransactionalBus);
    for (let i = 0; i < total; i += 250) {
      await bus.transaction(async (unit) => {
        for (let j = 0; j < 250; j++) unit.emit('deployment.pause.requested', { deploymentId: randomUUID() });
      });
    }
    await waitFor('the stream to be under way', async () => (await received('sink')).total >= 500, {
      timeoutMs: 30_000,
    });
    const dropped = await vhost.closeConnections();
    expect(dropped).toBeGreaterThan(0);
    await waitFor(
      'the sink to receive every event',
      async () => (await received('sink')).distinct === total,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    expect(await received('sink')).toEqual({ total, distinct: total });
    const [outbox] = await db.query(`SELECT count(*)::int AS n FROM streamer.outbox`);
    expect(outbox.n).toBe(0);
  });
});
