import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE } from './topology';
import { PublishFailedError, UnroutableEventError } from './errors';
import { eventsPublished } from './messaging-metrics';

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
}

/**
 * Publishes with publisher confirms and the mandatory flag: a publish resolves only once the
 * broker has it in a queue; an unroutable or unconfirmed publish rejects.
 */
export class ConfirmedPublisher {
  private readonly channel: ChannelWrapper;
  /** Message ids the broker returned as unroutable; the return arrives before the confirm. */
  private readonly returned = new Set<string>();

  constructor(
    connection: AmqpConnectionManager,
    options: { publishTimeoutMs?: number; onError?: (error: Error) => void } = {},
  ) {
    this.channel = connection.createChannel({
      name: 'publisher',
      confirm: true,
      publishTimeout: options.publishTimeoutMs ?? 10_000,
      setup: async (channel: ConfirmChannel) => {
        await assertExchanges(channel);
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
      headers: {
        ...(original.properties.headers ?? {}),
        'x-conveyor-error': letter.reason.slice(0, 4000),
        'x-conveyor-attempts': letter.attempts,
        'x-conveyor-routing-key': original.fields.routingKey,
        'x-conveyor-dead-lettered-at': new Date().toISOString(),
      },
    });
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}

export async function assertExchanges(channel: ConfirmChannel): Promise<void> {
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true });
}
