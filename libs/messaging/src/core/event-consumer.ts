import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import {
  decodeEnvelope,
  type EventEnvelope,
  type Participant,
  type UnknownTypeEnvelope,
} from '@conveyor/contracts';
import type { Logger } from '@conveyor/observability';
import type { ConfirmedPublisher } from './confirmed-publisher';
import { MicroBatcher } from './micro-batcher';
import { eventHandlingSeconds, eventsConsumed, eventsRefused } from './messaging-metrics';
import {
  authenticateDelivery,
  authenticateUnknownTypeDelivery,
  type RefusalCode,
} from './delivery-authentication';
import {
  assertBindingPattern,
  deadLetterQueueArguments,
  deadLetterQueueName,
  DEAD_LETTER_EXCHANGE,
  EVENTS_EXCHANGE,
  serviceQueueArguments,
  serviceQueueName,
  type QueueOverride,
} from './topology';
import { assertExchanges, type SharedTopologyMode } from './confirmed-publisher';

export interface Delivery {
  /** 1 for the first delivery, 2 for the first redelivery, … */
  attempt: number;
  redelivered: boolean;
  /**
   * The envelope's `data` exactly as received, before its schema parsed it (defaults filled in,
   * transforms applied). For checks over the bytes as sent, e.g. a command's signature.
   */
  receivedData?: unknown;
  /**
   * The whole message body exactly as received (UTF-8), e.g. for the audit, which records what a
   * newer producer sent even where this build's schemas drop fields they do not know.
   */
  rawBody?: string;
}

/**
 * An authenticated event of a type this build has no contract for (a newer producer's, during a
 * rolling upgrade of Conveyor), as a `handleUnknownType` handler sees it.
 */
export interface UnknownTypeEvent {
  /** The envelope as validated (CloudEvents attributes); `data` unchecked, as received. */
  envelope: UnknownTypeEnvelope;
  /** The known producer whose broker user published it (`orchestrator`, `agent:web-1`). */
  publisher: Participant;
  /** The AMQP user_id the broker vouched for. */
  userId: string;
}

/** A message that failed its schema (or is not JSON), as an `onInvalid` listener sees it. */
export interface InvalidMessage {
  routingKey: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  error: string;
}

/**
 * A message that was valid but refused (wrong routing key or wrong publisher), as an `onRefused`
 * listener sees it: never handed to a handler, dead-lettered with the reason.
 */
export interface RefusedMessage {
  code: RefusalCode;
  reason: string;
  routingKey: string;
  /** The AMQP user_id the broker vouched for, or undefined when the message carried none. */
  userId: string | undefined;
  /** The body exactly as received (UTF-8). */
  rawBody: string;
  /** The AMQP message id, if any. */
  messageId: string | undefined;
  /** The envelope's type (what the body claims to be). */
  type: string;
}

/** What a handler returns: `duplicate` when the inbox had already seen the event. */
export type HandlingOutcome = 'handled' | 'duplicate';

export type EventHandlerFn = (envelope: EventEnvelope, delivery: Delivery) => Promise<HandlingOutcome>;

export interface BatchItem {
  envelope: EventEnvelope;
  delivery: Delivery;
}

/** Handles several events in one go (one transaction); throws if any fails. */
export type BatchHandlerFn = (items: BatchItem[]) => Promise<HandlingOutcome[]>;

export interface EventConsumerOptions {
  service: string;
  /** Event types (or topic patterns, `#` for everything) the service's queue is bound to. */
  bindings: string[];
  handle: EventHandlerFn;
  /**
   * Optional: events that arrive together are handled as one batch (one transaction). When a
   * batch fails, its events are handled one by one with `handle`, so one bad event does not take
   * the others down with it.
   */
  handleBatch?: BatchHandlerFn;
  maxBatch?: number;
  publisher: ConfirmedPublisher;
  logger: Logger;
  prefetch?: number;
  maxAttempts?: number;
  /**
   * Replaces the service's quorum queue `conveyor.<service>` (name, arguments, exclusive or
   * auto-delete), e.g. an agent's own classic queue. Absent: the service queue, as before.
   */
  queue?: QueueOverride;
  /** Dead-letter queue to use, e.g. one shared by many agents. Default `conveyor.<service>.dead-letter`. */
  deadLetterQueue?: string;
  /**
   * Told about each message that fails its schema, before it is dead-lettered: e.g. an agent
   * reports an unsigned command. A listener that throws does not stop the dead-lettering.
   */
  onInvalid?: (invalid: InvalidMessage) => Promise<void>;
  /**
   * Told about each refused message (see RefusedMessage) before it is dead-lettered, e.g. the
   * audit log records it in its chain. If the listener throws, the message is retried like a
   * failed handler (and dead-lettered after `maxAttempts`), so a refusal is not lost unrecorded.
   */
  onRefused?: (refused: RefusedMessage) => Promise<void>;
  /**
   * Handles events of a type this build does not know, when their routing key is their type and a
   * known producer's broker user published them (the audit, bound to `#`, records them). Failures
   * are retried like a failed handler. Absent (default): such events are dead-lettered as invalid.
   */
  handleUnknownType?: (event: UnknownTypeEvent, delivery: Delivery) => Promise<void>;
  /**
   * `broker` (default): attempts come from the quorum queue's `x-delivery-count`. `local`: the
   * queue does not count (a classic queue, e.g. an agent's), so the consumer counts attempts per
   * message id itself and dead-letters after `maxAttempts` instead of retrying forever.
   */
  attemptCounting?: 'broker' | 'local';
  /** Delay before a failed message is returned to the queue, per attempt (capped). */
  retryDelayMs?: number;
  /**
   * `check`: the exchanges and the dead-letter queue (and its binding) are only checked, never
   * declared, so the consumer needs configure on its own queue alone. Default `declare`.
   */
  sharedTopology?: SharedTopologyMode;
}

/**
 * One durable quorum queue per service, bound to the event types it handles. Manual acks after
 * the handler succeeds; a failing handler is retried, then dead-lettered with the reason; a
 * message that fails its schema, or is refused (routing key not its type, or not published by its
 * declared producer's broker user), is dead-lettered at once and the consumer goes on. Consumers are
 * restored after a reconnect.
 */
export class EventConsumer {
  private channel?: ChannelWrapper;
  private readonly queue: string;
  private readonly deadLetterQueue: string;
  private readonly maxAttempts: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly batcher?: MicroBatcher;
  /** attemptCounting `local`: deliveries seen per message id, forgotten once settled. */
  private readonly localAttempts = new Map<string, number>();

  constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly options: EventConsumerOptions,
  ) {
    options.bindings.forEach(assertBindingPattern);
    this.queue = options.queue?.name ?? serviceQueueName(options.service);
    this.deadLetterQueue = options.deadLetterQueue ?? deadLetterQueueName(options.service);
    this.maxAttempts = options.maxAttempts ?? 5;
    if (options.handleBatch) {
      this.batcher = new MicroBatcher(options.handleBatch, options.handle, options.maxBatch ?? 100);
    }
  }

  /** Declares the topology and starts consuming; resolves once the first consumer is set up. */
  async start(): Promise<void> {
    this.channel = this.connection.createChannel({
      name: `consumer:${this.options.service}`,
      confirm: false,
      setup: (channel: ConfirmChannel) => this.setup(channel),
    });
    this.channel.on('error', (error: Error) =>
      this.options.logger.warn(
        { queue: this.queue, err: error.message },
        'consumer channel error; it is set up again on reconnect',
      ),
    );
    await this.channel.waitForConnect();
  }

  /** Stops taking messages and waits for the ones being handled. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.channel?.close();
  }

  private async setup(channel: ConfirmChannel): Promise<void> {
    const mode = this.options.sharedTopology ?? 'declare';
    await assertExchanges(channel, mode);
    if (mode === 'check') {
      await channel.checkQueue(this.deadLetterQueue);
    } else {
      await channel.assertQueue(this.deadLetterQueue, {
        durable: true,
        arguments: deadLetterQueueArguments(),
      });
      await channel.bindQueue(this.deadLetterQueue, DEAD_LETTER_EXCHANGE, this.deadLetterQueue);
    }
    const override = this.options.queue;
    await channel.assertQueue(this.queue, {
      durable: override?.durable ?? true,
      exclusive: override?.exclusive ?? false,
      autoDelete: override?.autoDelete ?? false,
      arguments:
        override?.arguments ??
        serviceQueueArguments({ service: this.options.service, maxAttempts: this.maxAttempts }),
    });
    for (const pattern of this.options.bindings)
      await channel.bindQueue(this.queue, EVENTS_EXCHANGE, pattern);
    await channel.prefetch(this.options.prefetch ?? 32);
    await channel.consume(this.queue, (message) => {
      // amqplib hands over null when the broker cancels the consumer (queue deleted).
      if (message === null) {
        this.options.logger.warn({ queue: this.queue }, 'consumer cancelled by the broker');
        return;
      }
      const work = this.onMessage(channel, message).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    });
  }

  /** 1 for the first delivery; from the broker's `x-delivery-count`, or counted here (`local`). */
  private attemptOf(message: ConsumeMessage): number {
    const counted = Number(message.properties.headers?.['x-delivery-count'] ?? 0) + 1;
    if (this.options.attemptCounting !== 'local') return counted;
    const key = localAttemptKey(message);
    const attempt = Math.max(counted, (this.localAttempts.get(key) ?? 0) + 1);
    this.localAttempts.delete(key); // re-inserted last: the map is kept in first-seen order for eviction
    this.localAttempts.set(key, attempt);
    if (this.localAttempts.size > LOCAL_ATTEMPTS_KEPT) {
      const oldest = this.localAttempts.keys().next().value;
      if (oldest !== undefined) this.localAttempts.delete(oldest);
    }
    return attempt;
  }

  /** The message is acked or dead-lettered: its local attempt count is no longer needed. */
  private settled(message: ConsumeMessage): void {
    if (this.options.attemptCounting === 'local') this.localAttempts.delete(localAttemptKey(message));
  }

  private async onMessage(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const attempt = this.attemptOf(message);
    const routingKey = message.fields.routingKey;
    let raw: unknown;
    try {
      raw = JSON.parse(message.content.toString('utf8'));
    } catch (error) {
      const why = `not JSON: ${describe(error)}`;
      await this.notifyInvalid({ routingKey, body: undefined, error: why });
      return this.deadLetter(channel, message, routingKey, 'invalid', why, attempt);
    }
    const decoded = decodeEnvelope(raw);
    if (!decoded.ok && decoded.unknownType !== undefined && this.options.handleUnknownType !== undefined) {
      return this.onUnknownType(channel, message, attempt, decoded.unknownType, raw);
    }
    if (!decoded.ok) {
      await this.notifyInvalid({ routingKey, body: raw, error: decoded.error });
      return this.deadLetter(channel, message, decoded.type ?? routingKey, 'invalid', decoded.error, attempt);
    }
    const envelope = decoded.envelope;
    const userId = typeof message.properties.userId === 'string' ? message.properties.userId : undefined;
    const authentication = authenticateDelivery({ routingKey, userId, envelope });
    if (!authentication.ok) {
      return this.refuse(channel, message, attempt, {
        code: authentication.code,
        reason: authentication.reason,
        routingKey,
        userId,
        rawBody: message.content.toString('utf8'),
        messageId:
          typeof message.properties.messageId === 'string' ? message.properties.messageId : undefined,
        type: envelope.type,
      });
    }
    const timer = eventHandlingSeconds.startTimer({ type: envelope.type });
    try {
      const receivedData = (raw as { data?: unknown }).data;
      const delivery: Delivery = {
        attempt,
        redelivered: message.fields.redelivered,
        receivedData,
        rawBody: message.content.toString('utf8'),
      };
      const outcome = this.batcher
        ? await this.batcher.submit({ envelope, delivery })
        : await this.options.handle(envelope, delivery);
      timer();
      this.settled(message);
      settle(() => channel.ack(message));
      eventsConsumed.inc({ type: envelope.type, outcome });
    } catch (error) {
      timer();
      const reason = describe(error);
      if (attempt >= this.maxAttempts || isPermanent(error)) {
        const why = `handler failed after ${attempt} attempt(s): ${reason}`;
        return this.deadLetter(channel, message, envelope.type, 'dead_lettered', why, attempt);
      }
      this.options.logger.warn(
        { type: envelope.type, eventId: envelope.id, attempt, err: reason },
        'handler failed; will retry',
      );
      await delay(Math.min((this.options.retryDelayMs ?? 100) * attempt, 2_000));
      settle(() => channel.nack(message, false, true));
      eventsConsumed.inc({ type: envelope.type, outcome: 'retried' });
    }
  }

  /**
   * An event of a type this build does not know, with a handler for such events: refused unless
   * its routing key is its type and a known producer published it; otherwise handled, retried on
   * failure and dead-lettered after `maxAttempts`, like any event.
   */
  private async onUnknownType(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    attempt: number,
    envelope: UnknownTypeEnvelope,
    raw: unknown,
  ): Promise<void> {
    const routingKey = message.fields.routingKey;
    const userId = typeof message.properties.userId === 'string' ? message.properties.userId : undefined;
    const rawBody = message.content.toString('utf8');
    const authentication = authenticateUnknownTypeDelivery({ routingKey, userId, type: envelope.type });
    if (!authentication.ok) {
      return this.refuse(channel, message, attempt, {
        code: authentication.code,
        reason: authentication.reason,
        routingKey,
        userId,
        rawBody,
        messageId:
          typeof message.properties.messageId === 'string' ? message.properties.messageId : undefined,
        type: envelope.type,
      });
    }
    const handle = this.options.handleUnknownType;
    if (handle === undefined || userId === undefined) return; // narrowed by the caller and the check above
    const delivery: Delivery = {
      attempt,
      redelivered: message.fields.redelivered,
      receivedData: (raw as { data?: unknown }).data,
      rawBody,
    };
    try {
      await handle({ envelope, publisher: authentication.publisher, userId }, delivery);
      this.settled(message);
      settle(() => channel.ack(message));
      eventsConsumed.inc({ type: UNKNOWN_TYPE_METRIC_LABEL, outcome: 'handled' });
    } catch (error) {
      const reason = describe(error);
      if (attempt >= this.maxAttempts || isPermanent(error)) {
        const why = `handler of an unknown type failed after ${attempt} attempt(s): ${reason}`;
        return this.deadLetter(channel, message, UNKNOWN_TYPE_METRIC_LABEL, 'dead_lettered', why, attempt);
      }
      this.options.logger.warn(
        { type: envelope.type, eventId: envelope.id, attempt, err: reason },
        'handler of an unknown type failed; will retry',
      );
      await delay(Math.min((this.options.retryDelayMs ?? 100) * attempt, 2_000));
      settle(() => channel.nack(message, false, true));
    }
  }

  /** Never handed to a handler: told to `onRefused` (retried if that fails), then dead-lettered. */
  private async refuse(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    attempt: number,
    refused: RefusedMessage,
  ): Promise<void> {
    const why = `refused (${refused.code}): ${refused.reason}`;
    if (this.options.onRefused !== undefined) {
      try {
        await this.options.onRefused(refused);
      } catch (error) {
        if (attempt < this.maxAttempts) {
          this.options.logger.warn(
            { routingKey: refused.routingKey, attempt, err: describe(error) },
            'recording a refused message failed; will retry',
          );
          await delay(Math.min((this.options.retryDelayMs ?? 100) * attempt, 2_000));
          settle(() => channel.nack(message, false, true));
          return;
        }
        const unrecorded = `${why}; recording it failed after ${attempt} attempt(s): ${describe(error)}`;
        eventsRefused.inc({ code: refused.code });
        return this.deadLetter(channel, message, refused.type, 'refused', unrecorded, attempt, refused.code);
      }
    }
    eventsRefused.inc({ code: refused.code });
    return this.deadLetter(channel, message, refused.type, 'refused', why, attempt, refused.code);
  }

  private async notifyInvalid(invalid: InvalidMessage): Promise<void> {
    if (this.options.onInvalid === undefined) return;
    try {
      await this.options.onInvalid(invalid);
    } catch (error) {
      this.options.logger.warn(
        { routingKey: invalid.routingKey, err: describe(error) },
        'onInvalid listener failed',
      );
    }
  }

  private async deadLetter(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    type: string,
    outcome: 'invalid' | 'dead_lettered' | 'refused',
    reason: string,
    attempts: number,
    refusal?: RefusalCode,
  ): Promise<void> {
    try {
      await this.options.publisher.deadLetter({
        queue: this.deadLetterQueue,
        original: message,
        reason,
        attempts,
        refusal,
      });
      this.settled(message);
      settle(() => channel.ack(message));
      eventsConsumed.inc({ type, outcome });
      this.options.logger.error(
        { type, messageId: message.properties.messageId, reason },
        'message dead-lettered',
      );
    } catch (error) {
      // Not confirmed in the dead-letter queue: give it back rather than lose it.
      this.options.logger.error(
        { type, err: describe(error) },
        'dead-lettering failed; message returned to its queue',
      );
      settle(() => channel.nack(message, false, true));
    }
  }
}

/** A handler throws this when retrying cannot help (the message is dead-lettered at once). */
export class PermanentHandlerError extends Error {
  override readonly name = 'PermanentHandlerError';
}

function isPermanent(error: unknown): boolean {
  return error instanceof PermanentHandlerError;
}

/** Acks and nacks on a channel that closed meanwhile fail; the broker redelivers, the inbox dedups. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    /* channel gone: the message will be redelivered */
  }
}

/** Metric label for events of unknown types: their types are not ours to put in a label (cardinality). */
const UNKNOWN_TYPE_METRIC_LABEL = '(unknown type)';

/** How many local attempt counts are kept (oldest forgotten first); far above any prefetch. */
const LOCAL_ATTEMPTS_KEPT = 10_000;

function localAttemptKey(message: ConsumeMessage): string {
  const id = message.properties.messageId;
  return typeof id === 'string' && id !== ''
    ? id
    : `${message.fields.routingKey}:${message.content.toString('base64')}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
