import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { lastValueFrom } from 'rxjs';
import type { EventEnvelope } from '@conveyor/contracts';
import { runWithCorrelation, type Logger } from '@conveyor/observability';
import type { ConfirmedPublisher } from '../core/confirmed-publisher';
import {
  EventConsumer,
  type BatchItem,
  type Delivery,
  type HandlingOutcome,
  type RefusedMessage,
  type UnknownTypeEvent,
} from '../core/event-consumer';
import type { SharedTopologyMode } from '../core/confirmed-publisher';
import type { TransactionalBus, UnitOfWork } from '../outbox/transactional-bus';
import { EventContext } from './event-context';
import { REFUSED_MESSAGE_PATTERN, UNKNOWN_TYPE_PATTERN } from './on-event.decorator';

export interface RabbitTransportOptions {
  service: string;
  connection: AmqpConnectionManager;
  publisher: ConfirmedPublisher;
  logger: Logger;
  /** With a bus, each event is handled once per service (inbox) in one transaction with its effects. */
  bus?: TransactionalBus;
  prefetch?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  /** See EventConsumerOptions: `broker` retries wait in the service's retry queues. */
  redelivery?: 'in-process' | 'broker';
  retryDelaysMs?: readonly number[];
  /** See EventConsumerOptions.database: pause while the database cannot be reached. */
  database?: { probe: () => Promise<unknown> };
  /** How the consumer treats the shared exchanges and its dead-letter queue (see EventConsumer). */
  sharedTopology?: SharedTopologyMode;
}

/**
 * The @nestjs/microservices transport for Conveyor: `@OnEvent` handlers receive validated events
 * from the service's quorum queue; failures are retried then dead-lettered with their reason.
 */
export class RabbitTransport extends Server implements CustomTransportStrategy {
  private consumer?: EventConsumer;
  private readonly handlerCache = new Map<string, MessageHandler | null>();

  constructor(private readonly options: RabbitTransportOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    const bindings = [...this.messageHandlers.keys()].filter(
      (pattern) => pattern !== REFUSED_MESSAGE_PATTERN && pattern !== UNKNOWN_TYPE_PATTERN,
    );
    const refusedHandler = this.messageHandlers.get(REFUSED_MESSAGE_PATTERN);
    const unknownTypeHandler = this.messageHandlers.get(UNKNOWN_TYPE_PATTERN);
    if (bindings.length === 0) {
      callback();
      return;
    }
    const bus = this.options.bus;
    this.consumer = new EventConsumer(this.options.connection, {
      service: this.options.service,
      bindings,
      publisher: this.options.publisher,
      logger: this.options.logger,
      prefetch: this.options.prefetch,
      maxAttempts: this.options.maxAttempts,
      retryDelayMs: this.options.retryDelayMs,
      redelivery: this.options.redelivery,
      retryDelaysMs: this.options.retryDelaysMs,
      database: this.options.database,
      sharedTopology: this.options.sharedTopology,
      onRefused: refusedHandler ? (refused) => this.dispatchRefused(refusedHandler, refused) : undefined,
      handleUnknownType: unknownTypeHandler
        ? (event, delivery) => this.dispatchUnknownType(unknownTypeHandler, event, delivery)
        : undefined,
      handle: (envelope, delivery) => this.dispatch(envelope, delivery),
      handleBatch: bus ? (items) => this.dispatchBatch(items, bus) : undefined,
    });
    this.consumer.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  on(): never {
    throw new Error('RabbitTransport does not emit server events; use the connection manager');
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }

  private dispatch(envelope: EventEnvelope, delivery: Delivery): Promise<HandlingOutcome> {
    return runWithCorrelation(correlationOf(envelope), async () => {
      this.options.logger.debug(
        { type: envelope.type, eventId: envelope.id, attempt: delivery.attempt },
        'event received',
      );
      const invoke = (unit?: UnitOfWork) => this.invokeHandler(envelope, delivery, unit);
      if (!this.options.bus) {
        await invoke();
        return 'handled';
      }
      return this.options.bus.handleOnce(this.options.service, envelope.id, invoke);
    });
  }

  private async dispatchRefused(handler: MessageHandler, refused: RefusedMessage): Promise<void> {
    const result: unknown = await handler(refused);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async dispatchUnknownType(
    handler: MessageHandler,
    event: UnknownTypeEvent,
    delivery: Delivery,
  ): Promise<void> {
    const received: ReceivedUnknownEvent = { ...event, delivery };
    await runWithCorrelation(correlationOf(event.envelope), async () => {
      const result: unknown = await handler(received);
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    });
  }

  private dispatchBatch(items: BatchItem[], bus: TransactionalBus): Promise<HandlingOutcome[]> {
    return bus.handleBatchOnce(
      this.options.service,
      items.map(({ envelope, delivery }) => ({
        eventId: envelope.id,
        work: (unit: UnitOfWork) =>
          runWithCorrelation(correlationOf(envelope), () => this.invokeHandler(envelope, delivery, unit)),
      })),
    );
  }

  private async invokeHandler(envelope: EventEnvelope, delivery: Delivery, unit?: UnitOfWork): Promise<void> {
    const handler = this.handlerFor(envelope.type);
    if (!handler) throw new Error(`no handler for ${envelope.type} in ${this.options.service}`);
    const context = new EventContext([envelope, delivery, unit]);
    const result: unknown = await handler(envelope.data, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  /**
   * The handler for a type, or the `#` handler. Looked up once per type: Nest's lookup tries
   * JSON.parse on the pattern and throws for every plain event type, which costs more than the
   * handling itself at thousands of events per second.
   */
  private handlerFor(type: string): MessageHandler | null {
    let handler = this.handlerCache.get(type);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(type) ?? this.getHandlerByPattern('#');
      this.handlerCache.set(type, handler);
    }
    return handler;
  }
}

/** What an `@OnUnknownEventType()` handler receives as its payload. */
export interface ReceivedUnknownEvent extends UnknownTypeEvent {
  delivery: Delivery;
}

function correlationOf(envelope: Pick<EventEnvelope, 'correlationid' | 'id' | 'actor'>) {
  return { correlationId: envelope.correlationid, causationId: envelope.id, actor: envelope.actor };
}
