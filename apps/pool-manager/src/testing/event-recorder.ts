import amqplib, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { EventEnvelope, EventInput, EventMap, EventType } from '@conveyor/contracts';
import { createEnvelope, EVENTS_EXCHANGE } from '@conveyor/messaging';
import { waitFor, type TestVhost } from '@conveyor/testing';

/**
 * Plays the orchestrator in tests: publishes requests as the orchestrator's own broker user (with
 * its user_id, as the real one does) and records every pool.* event (read as the vhost's administrator).
 */
export class EventRecorder {
  private readonly received: EventEnvelope[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    private readonly reader: ChannelModel,
  ) {}

  static async start(vhost: TestVhost): Promise<EventRecorder> {
    const connection = await amqplib.connect(vhost.urlFor('orchestrator'));
    const channel = await connection.createConfirmChannel();
    const reader = await amqplib.connect(vhost.adminUrl);
    const readChannel = await reader.createChannel();
    const { queue } = await readChannel.assertQueue('', { exclusive: true, autoDelete: true });
    await readChannel.bindQueue(queue, EVENTS_EXCHANGE, 'pool.#');
    const recorder = new EventRecorder(connection, channel, reader);
    await readChannel.consume(
      queue,
      (message) => {
        if (message) recorder.received.push(JSON.parse(message.content.toString('utf8')) as EventEnvelope);
      },
      { noAck: true },
    );
    return recorder;
  }

  /** Publishes a valid request (a fresh envelope each time) and returns it. */
  async publish<T extends EventType>(type: T, data: EventInput[T]): Promise<EventEnvelope<T>> {
    const envelope = createEnvelope('orchestrator', type, data);
    await this.publishRaw(type, JSON.stringify(envelope));
    return envelope;
  }

  /** Publishes any body under a routing key (for malformed or repeated messages). */
  async publishRaw(routingKey: string, body: string): Promise<void> {
    this.channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(body), {
      persistent: true,
      userId: 'conveyor-orchestrator',
    });
    await this.channel.waitForConfirms();
  }

  /** Events of this type received so far (requests included: they are pool.* too). */
  events<T extends EventType>(
    type: T,
    where: (data: EventMap[T]) => boolean = () => true,
  ): EventEnvelope<T>[] {
    const matching = this.received.filter((event) => event.type === type && where(event.data as EventMap[T]));
    return matching as unknown as EventEnvelope<T>[];
  }

  /** Waits for the first event of this type matching `where`. */
  async next<T extends EventType>(
    type: T,
    where: (data: EventMap[T]) => boolean,
    timeoutMs = 15_000,
  ): Promise<EventEnvelope<T>> {
    return waitFor(`a ${type} event`, () => this.events(type, where)[0], { timeoutMs });
  }

  /** The outcome (drained, enabled or failed) of one operation. */
  async outcome(
    operationId: string,
    timeoutMs = 15_000,
  ): Promise<EventEnvelope<'pool.server.drained' | 'pool.server.enabled' | 'pool.operation.failed'>> {
    return waitFor(
      `the outcome of operation ${operationId}`,
      () =>
        this.events('pool.server.drained', (d) => d.operationId === operationId)[0] ??
        this.events('pool.server.enabled', (d) => d.operationId === operationId)[0] ??
        this.events('pool.operation.failed', (d) => d.operationId === operationId)[0],
      { timeoutMs },
    );
  }

  /** The outcome of an operation, which must be of `type`; otherwise fails showing what came instead. */
  async expectOutcome<T extends 'pool.server.drained' | 'pool.server.enabled' | 'pool.operation.failed'>(
    operationId: string,
    type: T,
  ): Promise<EventMap[T]> {
    const outcome = await this.outcome(operationId);
    if (outcome.type !== type)
      throw new Error(`expected ${type}, got ${outcome.type}: ${JSON.stringify(outcome.data)}`);
    return outcome.data as EventMap[T];
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
    await this.reader.close().catch(() => undefined);
  }
}
