import { errorMessage } from '@conveyor/errors';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import { DEAD_LETTER_EXCHANGE, deadLetterQueueArguments, EVENTS_EXCHANGE, RETRY_HEADERS } from './topology';
import { PublishFailedError, UnroutableEventError } from './errors';
import { eventsPublished } from './messaging-metrics';
import { connectionUser } from './amqp-connection';

export interface SerializedEvent {
  id: string;
  type: string;
  /** The envelope as JSON text, exactly as it is to be sent. */
  body: string;
}

export interface DeadLetter {
  queue: string;
  original: ConsumeMessage;
  reason: string;
  attempts: number;
  /** Set when the message was refused (never handed to a handler): the refusal's code. */
  refusal?: string;
  /** The original routing key and publisher when they differ from the delivery's (a retried message). */
  routingKey?: string;
  userId?: string;
}

/** A failed message sent to wait in one of its service's retry queues (see `nextRetryStep`). */
export interface RetryLetter {
  /** The retry queue (`conveyor.<service>.retry.<level>`), bound to the dead-letter exchange under its name. */
  queue: string;
  original: Message;
  /** The attempt its next delivery will be. */
  nextAttempt: number;
  /** The original routing key (its event type) and publisher, authenticated when it comes back. */
  routingKey: string;
  userId: string | undefined;
  lastError: string;
}

/**
 * Publishes with publisher confirms and the mandatory flag: a publish resolves only once the
 * broker has it in a queue; an unroutable or unconfirmed publish rejects. Every publish carries
 * the connection's user as AMQP `user_id` (RabbitMQ refuses a `user_id` that is not the
 * connection's user), so consumers know which broker user published it.
 */
export class ConfirmedPublisher {
  private readonly channel: ChannelWrapper;
  /** The connection's broker user, sent as `user_id` with every message. */
  readonly userId: string;
  /** Message ids the broker returned as unroutable; the return arrives before the confirm. */
  private readonly returned = new Set<string>();

  constructor(
    connection: AmqpConnectionManager,
    options: {
      publishTimeoutMs?: number;
      onError?: (error: Error) => void;
      sharedTopology?: SharedTopologyMode;
      /** The connection's user; default: the user of the URL the connection was made with (`connectAmqp`). */
      userId?: string;
    } = {},
  ) {
    const userId = options.userId ?? connectionUser(connection);
    if (userId === undefined) {
      throw new Error(
        'ConfirmedPublisher: the broker user of this connection is unknown; connect with connectAmqp or pass userId',
      );
    }
    this.userId = userId;
    this.channel = connection.createChannel({
      name: 'publisher',
      confirm: true,
      publishTimeout: options.publishTimeoutMs ?? 10_000,
      setup: async (channel: ConfirmChannel) => {
        await assertExchanges(channel, options.sharedTopology);
        channel.on('return', (message: ConsumeMessage) => {
          if (message.properties.messageId) this.returned.add(String(message.properties.messageId));
        });
      },
    });
    // A failed setup (e.g. the connection dropped again meanwhile) is retried on the next connect.
    this.channel.on('error', (error: Error) => options.onError?.(error));
  }

  async publish(event: SerializedEvent): Promise<void> {
    try {
      await this.channel.publish(EVENTS_EXCHANGE, event.type, Buffer.from(event.body), {
        persistent: true,
        mandatory: true,
        messageId: event.id,
        type: event.type,
        contentType: 'application/json',
        userId: this.userId,
      });
    } catch (error) {
      this.returned.delete(event.id);
      throw new PublishFailedError(event.type, error);
    }
    if (this.returned.delete(event.id)) throw new UnroutableEventError(event.type);
    eventsPublished.inc({ type: event.type });
  }

  /** Moves a message to a dead-letter queue with the reason in its headers; resolves once confirmed. */
  async deadLetter(letter: DeadLetter): Promise<void> {
    const { original } = letter;
    await this.channel.publish(DEAD_LETTER_EXCHANGE, letter.queue, original.content, {
      persistent: true,
      mandatory: true,
      messageId: original.properties.messageId as string | undefined,
      type: original.properties.type as string | undefined,
      contentType: original.properties.contentType as string | undefined,
      userId: this.userId,
      headers: {
        ...(original.properties.headers ?? {}),
        'x-conveyor-error': letter.reason.slice(0, 4000),
        'x-conveyor-attempts': letter.attempts,
        'x-conveyor-routing-key': letter.routingKey ?? original.fields.routingKey,
        // Who published the original (its user_id, checked by the broker); absent if it carried none.
        ...(typeof (letter.userId ?? original.properties.userId) === 'string'
          ? { 'x-conveyor-user-id': letter.userId ?? (original.properties.userId as string) }
          : {}),
        ...(letter.refusal === undefined ? {} : { 'x-conveyor-refused': letter.refusal }),
        'x-conveyor-dead-lettered-at': new Date().toISOString(),
      },
    });
  }

  /**
   * Puts a failed message in a retry queue with its attempt and origin in headers; resolves once
   * confirmed. Sent as this service's user: its headers are believed only from that user.
   */
  async retry(letter: RetryLetter): Promise<void> {
    const { original } = letter;
    const headers: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(original.properties.headers ?? {})) {
      // The broker's own dead-lettering history grows with every round trip; it is not needed.
      if (key === 'x-death' || key.startsWith('x-first-death') || key.startsWith('x-last-death')) continue;
      if (key === 'x-delivery-count') continue;
      headers[key] = value;
    }
    headers[RETRY_HEADERS.attempt] = letter.nextAttempt;
    headers[RETRY_HEADERS.routingKey] = letter.routingKey;
    if (letter.userId === undefined) delete headers[RETRY_HEADERS.userId];
    else headers[RETRY_HEADERS.userId] = letter.userId;
    headers[RETRY_HEADERS.lastError] = letter.lastError.slice(0, 4000);
    await this.channel.publish(DEAD_LETTER_EXCHANGE, letter.queue, original.content, {
      persistent: true,
      mandatory: true,
      messageId: original.properties.messageId as string | undefined,
      type: original.properties.type as string | undefined,
      contentType: original.properties.contentType as string | undefined,
      userId: this.userId,
      headers,
    });
    const id = original.properties.messageId;
    if (typeof id === 'string' && this.returned.delete(id)) {
      throw new Error(`retry queue ${letter.queue} does not exist or is not bound`);
    }
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}

/**
 * How a party treats the shared exchanges (and, for a consumer, its dead-letter queue):
 * `declare` (the services: needs the configure permission on them) or `check` — a passive
 * declare that needs no permission at all and fails if they are missing. A least-privileged
 * party (an agent) checks, so it never holds configure on what others depend on; see
 * `ensureSharedTopology` for creating what is missing once, at start, where that is allowed.
 */
export type SharedTopologyMode = 'declare' | 'check';

export async function assertExchanges(
  channel: ConfirmChannel,
  mode: SharedTopologyMode = 'declare',
): Promise<void> {
  if (mode === 'check') {
    await channel.checkExchange(EVENTS_EXCHANGE);
    await channel.checkExchange(DEAD_LETTER_EXCHANGE);
    return;
  }
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true });
}

/** What `ensureSharedTopology` makes sure exists: the two exchanges, plus these dead-letter queues. */
export interface SharedTopology {
  deadLetterQueues?: readonly string[];
}

/**
 * Run once at start by a party that then uses `sharedTopology: 'check'`: checks passively that the
 * exchanges and dead-letter queues exist and declares only what is missing. Where the broker was
 * provisioned (deploy/rabbitmq/definitions.json) nothing is missing and no configure permission is
 * used; on a development broker (guest) the missing pieces are created. Without the permission and
 * with something missing, it fails with the broker's ACCESS_REFUSED and names the resource.
 */
export async function ensureSharedTopology(
  connection: AmqpConnectionManager,
  topology: SharedTopology = {},
): Promise<void> {
  const model = connection.connection;
  if (model === undefined) throw new Error('cannot check the RabbitMQ topology: not connected');
  const onChannel = async <T>(work: (channel: Channel) => Promise<T>): Promise<T> => {
    const channel = await model.createChannel();
    // A refused or failed declare closes the channel with an error event; the promise carries it.
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };
  const exists = async (check: (channel: Channel) => Promise<unknown>): Promise<boolean> => {
    try {
      await onChannel(check);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return false;
      throw error;
    }
  };
  const declare = async (what: string, work: (channel: Channel) => Promise<unknown>): Promise<void> => {
    try {
      await onChannel(work);
    } catch (error) {
      throw new Error(`${what} is missing and could not be declared: ${errorMessage(error)}`);
    }
  };
  const exchanges = [
    { name: EVENTS_EXCHANGE, type: 'topic' },
    { name: DEAD_LETTER_EXCHANGE, type: 'direct' },
  ] as const;
  for (const exchange of exchanges) {
    if (await exists((channel) => channel.checkExchange(exchange.name))) continue;
    await declare(`exchange ${exchange.name}`, (channel) =>
      channel.assertExchange(exchange.name, exchange.type, { durable: true }),
    );
  }
  for (const queue of topology.deadLetterQueues ?? []) {
    if (await exists((channel) => channel.checkQueue(queue))) continue;
    await declare(`queue ${queue}`, async (channel) => {
      await channel.assertQueue(queue, { durable: true, arguments: deadLetterQueueArguments() });
      await channel.bindQueue(queue, DEAD_LETTER_EXCHANGE, queue);
    });
  }
}
