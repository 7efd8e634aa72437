/**
 * `npm run bench -- bus [--events N]`: N events written to a service's outbox, published by the
 * relay with confirms, consumed by another service through its inbox (each handled once, in its
 * own transaction). Prints figures; the last line is one JSON object.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  ConfirmedPublisher,
  EventConsumer,
  OutboxRelay,
  TransactionalBus,
  connectAmqp,
  messagingTablesMigration,
  waitForConnection,
} from '@conveyor/messaging';
import { createLogger } from '@conveyor/observability';
import { openServiceDatabase } from '@conveyor/persistence';
import { createTestDatabase, createTestVhost, waitFor } from '@conveyor/testing';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' } } });
const total = Number(values.events);
if (!Number.isInteger(total) || total < 1)
  throw new Error(`--events must be a positive integer, got ${values.events}`);

async function main(): Promise<void> {
  const logger = createLogger('bench-bus', { level: 'warn' });
  const [vhost, database] = await Promise.all([
    createTestVhost('conveyor-bench'),
    createTestDatabase('conveyor_bench'),
  ]);
  const open = (schema: string) =>
    openServiceDatabase({
      url: database.url,
      schema,
      migrations: [messagingTablesMigration(schema)],
      poolSize: 16,
    });
  const [producerDb, consumerDb] = await Promise.all([open('producer'), open('consumer')]);
  // Producer and consumer run as the pipeline's user: deployment.pause.requested is the pipeline's event.
  await vhost.allowTestServices('pipeline', ['consumer']);
  const connection = connectAmqp(vhost.urlFor('pipeline'), { connectionName: 'bench-bus' });
  let consumer: EventConsumer | undefined;
  let relay: OutboxRelay | undefined;
  try {
    await waitForConnection(connection, 10_000);
    const publisher = new ConfirmedPublisher(connection, { sharedTopology: 'check' });
    const outboxRelay = new OutboxRelay(producerDb, 'producer', 'producer', publisher, logger, {
      batchSize: 1000,
    });
    relay = outboxRelay;
    const producerBus = new TransactionalBus(producerDb, 'producer', 'producer');
    const consumerBus = new TransactionalBus(consumerDb, 'consumer', 'consumer');
    let handled = 0;
    let lastHandledAt = 0;
    const count = <T extends string>(outcomes: T[]): T[] => {
      handled += outcomes.filter((o) => o === 'handled').length;
      lastHandledAt = performance.now();
      return outcomes;
    };
    consumer = new EventConsumer(connection, {
      service: 'consumer',
      bindings: ['deployment.pause.requested'],
      publisher,
      logger,
      prefetch: 1000,
      maxBatch: 250,
      handle: async (envelope) =>
        count([await consumerBus.handleOnce('consumer', envelope.id, async () => undefined)])[0],
      handleBatch: async (items) =>
        count(
          await consumerBus.handleBatchOnce(
            'consumer',
            items.map((item) => ({ eventId: item.envelope.id, work: async () => undefined })),
          ),
        ),
    });
    await consumer.start();

    const writeStart = performance.now();
    for (let written = 0; written < total; written += 1000) {
      await producerBus.transaction(async (unit) => {
        for (let i = 0; i < Math.min(1000, total - written); i++)
          unit.emit('deployment.pause.requested', { deploymentId: randomUUID() });
      });
    }
    const writeSeconds = (performance.now() - writeStart) / 1000;

    const start = performance.now();
    outboxRelay.start();
    let publishedAt = 0;
    await waitFor(
      'the relay to publish every event',
      async () => {
        if ((await outboxRelay.backlog()) > 0) return false;
        publishedAt = performance.now();
        return true;
      },
      { timeoutMs: 600_000, intervalMs: 20 },
    );
    await waitFor('the consumer to handle every event', () => handled >= total, {
      timeoutMs: 600_000,
      intervalMs: 5,
    });
    const publishSeconds = (publishedAt - start) / 1000;
    const endToEndSeconds = (lastHandledAt - start) / 1000;
    const figures = {
      bench: 'bus',
      events: total,
      outbox_write_per_s: Math.round(total / writeSeconds),
      published_per_s: Math.round(total / publishSeconds),
      consumed_per_s: Math.round(total / endToEndSeconds),
    };
    console.log(
      `${total} events: outbox writes ${figures.outbox_write_per_s}/s; relay published ${figures.published_per_s}/s ` +
        `(confirmed, quorum queue); consumed through the inbox ${figures.consumed_per_s}/s end to end`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    await relay?.stop();
    await consumer?.stop();
    await connection.close();
    await Promise.all([producerDb.destroy(), consumerDb.destroy()]);
    await Promise.all([vhost.delete(), database.drop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
