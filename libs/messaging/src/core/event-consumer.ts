import { errorMessage } from '@conveyor/errors';
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
import {
  deadLetterQueueDepth,
  eventHandlingSeconds,
  eventsConsumed,
  eventsRefused,
} from './messaging-metrics';
import {
  authenticateDelivery,
  authenticateUnknownTypeDelivery,
  type RefusalCode,
} from './delivery-authentication';
import {
  assertBindingPattern,
  assertRetryDelays,
  DEFAULT_RETRY_DELAYS_MS,
  nextRetryStep,
  retryQueueArguments,
  retryQueues,
  deadLetterQueueArguments,
  deadLetterQueueName,
  DEAD_LETTER_EXCHANGE,
  EVENTS_EXCHANGE,
  serviceQueueArguments,
  serviceQueueName,
  type QueueOverride,
} from './topology';
import { assertExchanges, type SharedTopologyMode } from './confirmed-publisher';
import { DatabaseGate } from './database-gate';
import { REPLAY_REQUESTED, replayDeadLetters, type ReplayRequest } from './dead-letter-replay';
import { isDatabaseConnectionError, originOf, type Origin } from './redelivery';

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
   * Called each time the consumer is set up — queue declared, bound and consumed — on start and
   * after every reconnect (`setups` counts them, 1 on start). E.g. an agent announces itself again
   * only once its queue is back, so that what is re-sent to it is not routed to nowhere.
   */
  onConsuming?: (setups: number) => void;
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
  /** `in-process` redelivery: delay before a failed message is returned to the queue, per attempt (capped). */
  retryDelayMs?: number;
  /**
   * `in-process` (default): a failed message is returned to its queue after a short delay.
   * `broker` (the services): it waits in `conveyor.<service>.retry.<level>` for `retryDelaysMs[level-1]`
   * and comes back through the dead-letter exchange, so retries span minutes and survive restarts.
   * Needs the service queue (no `queue` override).
   */
  redelivery?: 'in-process' | 'broker';
  /** `broker` redelivery: the delay of each retry level (the last repeats). Default 1 s, 5 s, 30 s, 2 min. */
  retryDelaysMs?: readonly number[];
  /**
   * When a handler fails because the database cannot be reached (`isOutage`, default
   * `isDatabaseConnectionError`), the message is held — no attempt counted — while `probe` is
   * retried with growing delays, and handled again once it answers. Absent: such failures count
   * as attempts like any other.
   */
  database?: { probe: () => Promise<unknown>; isOutage?: (error: unknown) => boolean };
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
  /** How many times the consumer has been set up (start, then each reconnect). */
  private setups = 0;
  private readonly batcher?: MicroBatcher;
  /** attemptCounting `local`: deliveries seen per message id, forgotten once settled. */
  private readonly localAttempts = new Map<string, number>();
  private readonly retryDelaysMs: readonly number[];
  private readonly databaseGate?: DatabaseGate;
  private depthTimer?: NodeJS.Timeout;

  constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly options: EventConsumerOptions,
  ) {
    options.bindings.forEach(assertBindingPattern);
    this.queue = options.queue?.name ?? serviceQueueName(options.service);
    this.deadLetterQueue = options.deadLetterQueue ?? deadLetterQueueName(options.service);
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    if (options.redelivery === 'broker') {
      if (options.queue !== undefined) {
        throw new Error('EventConsumer: broker redelivery needs the service queue (no queue override)');
      }
      assertRetryDelays(this.retryDelaysMs);
    }
    if (options.database !== undefined) {
      this.databaseGate = new DatabaseGate(options.database.probe, options.logger, this.queue);
    }
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
    if (this.options.redelivery === 'broker') {
      await this.sampleDeadLetterDepth();
      this.depthTimer = setInterval(() => void this.sampleDeadLetterDepth(), DEPTH_SAMPLE_MS);
      this.depthTimer.unref();
    }
  }

  /** conveyor_dead_letter_queue_depth for this service's dead-letter queue (what the alert watches). */
  private async sampleDeadLetterDepth(): Promise<void> {
    try {
      const info = await this.channel?.checkQueue(this.deadLetterQueue);
      if (info !== undefined) deadLetterQueueDepth.set({ queue: this.deadLetterQueue }, info.messageCount);
    } catch {
      /* broker unreachable: the last sample stands, and the broker's own alerts fire */
    }
  }

  /** Stops taking messages and waits for the ones being handled. */
  async stop(): Promise<void> {
    this.databaseGate?.stop();
    clearInterval(this.depthTimer);
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
    if (this.options.redelivery === 'broker') {
      // Operators' replay requests (`conveyor dead-letters replay`) reach every service; each acts on its own.
      await channel.bindQueue(this.queue, EVENTS_EXCHANGE, REPLAY_REQUESTED);
      for (const retry of retryQueues(this.options.service, this.retryDelaysMs)) {
        await channel.assertQueue(retry.queue, {
          durable: true,
          arguments: retryQueueArguments(this.options.service, retry.delayMs),
        });
        await channel.bindQueue(retry.queue, DEAD_LETTER_EXCHANGE, retry.queue);
      }
      // Expired retries come back through the dead-letter exchange under the service queue's name.
      await channel.bindQueue(this.queue, DEAD_LETTER_EXCHANGE, this.queue);
    }
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
    this.setups += 1;
    this.options.onConsuming?.(this.setups);
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

  /** Where the delivery came from: its own routing key and user, or the original ones after a retry. */
  private originOf(message: ConsumeMessage): Origin {
    const userId = typeof message.properties.userId === 'string' ? message.properties.userId : undefined;
    if (this.options.redelivery !== 'broker') {
      return {
        routingKey: message.fields.routingKey,
        userId,
        attempt: this.attemptOf(message),
        retried: false,
      };
    }
    return originOf({
      service: this.options.service,
      ownUser: this.options.publisher.userId,
      exchange: message.fields.exchange,
      routingKey: message.fields.routingKey,
      userId,
      headers: message.properties.headers,
      deliveryCount: Number(message.properties.headers?.['x-delivery-count'] ?? 0),
    });
  }

  private async onMessage(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const origin = this.originOf(message);
    const attempt = origin.attempt;
    const routingKey = origin.routingKey;
    let raw: unknown;
    try {
      raw = JSON.parse(message.content.toString('utf8'));
    } catch (error) {
      const why = `not JSON: ${describe(error)}`;
      await this.notifyInvalid({ routingKey, body: undefined, error: why });
      return this.deadLetter(channel, message, routingKey, 'invalid', why, attempt, origin);
    }
    const decoded = decodeEnvelope(raw);
    if (!decoded.ok && decoded.unknownType !== undefined && this.options.handleUnknownType !== undefined) {
      return this.onUnknownType(channel, message, origin, decoded.unknownType, raw);
    }
    if (!decoded.ok) {
      await this.notifyInvalid({ routingKey, body: raw, error: decoded.error });
      return this.deadLetter(
        channel,
        message,
        decoded.type ?? routingKey,
        'invalid',
        decoded.error,
        attempt,
        origin,
      );
    }
    const envelope = decoded.envelope;
    const userId = origin.userId;
    const authentication = authenticateDelivery({ routingKey, userId, envelope });
    if (!authentication.ok) {
      return this.refuse(channel, message, origin, {
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
    if (envelope.type === REPLAY_REQUESTED && this.options.redelivery === 'broker') {
      const request = envelope.data as ReplayRequest;
      if (request.service === this.options.service) {
        try {
          const result = await replayDeadLetters(this.connection, this.options.publisher, request);
          this.options.logger.warn(
            { queue: request.queue, actor: envelope.actor, requestId: envelope.id, ...result },
            'dead letters replayed on request',
          );
        } catch (error) {
          return this.onHandlerFailure(channel, message, envelope, origin, error);
        }
      }
      if (!this.options.bindings.some((pattern) => topicMatches(pattern, REPLAY_REQUESTED))) {
        this.settled(message);
        settle(() => channel.ack(message));
        eventsConsumed.inc({ type: envelope.type, outcome: 'handled' });
        return;
      }
    }
    const receivedData = (raw as { data?: unknown }).data;
    const delivery: Delivery = {
      attempt,
      redelivered: message.fields.redelivered || origin.retried,
      receivedData,
      rawBody: message.content.toString('utf8'),
    };
    for (;;) {
      const timer = eventHandlingSeconds.startTimer({ type: envelope.type });
      try {
        const outcome = this.batcher
          ? await this.batcher.submit({ envelope, delivery })
          : await this.options.handle(envelope, delivery);
        timer();
        this.settled(message);
        settle(() => channel.ack(message));
        eventsConsumed.inc({ type: envelope.type, outcome });
        return;
      } catch (error) {
        timer();
        if (this.databaseGate !== undefined && this.isDatabaseOutage(error)) {
          // Held, not counted: handled again once the database answers (or returned if we stop).
          if (await this.databaseGate.waitUntilAvailable()) continue;
          settle(() => channel.nack(message, false, true));
          return;
        }
        return this.onHandlerFailure(channel, message, envelope, origin, error);
      }
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
    origin: Origin,
    envelope: UnknownTypeEnvelope,
    raw: unknown,
  ): Promise<void> {
    const { routingKey, userId } = origin;
    const rawBody = message.content.toString('utf8');
    const authentication = authenticateUnknownTypeDelivery({ routingKey, userId, type: envelope.type });
    if (!authentication.ok) {
      return this.refuse(channel, message, origin, {
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
      attempt: origin.attempt,
      redelivered: message.fields.redelivered || origin.retried,
      receivedData: (raw as { data?: unknown }).data,
      rawBody,
    };
    try {
      await handle({ envelope, publisher: authentication.publisher, userId }, delivery);
      this.settled(message);
      settle(() => channel.ack(message));
      eventsConsumed.inc({ type: UNKNOWN_TYPE_METRIC_LABEL, outcome: 'handled' });
    } catch (error) {
      return this.onHandlerFailure(
        channel,
        message,
        { type: UNKNOWN_TYPE_METRIC_LABEL, id: envelope.id },
        origin,
        error,
      );
    }
  }

  private isDatabaseOutage(error: unknown): boolean {
    return (this.options.database?.isOutage ?? isDatabaseConnectionError)(error);
  }

  /** A handler failed: retried (through the broker or here), or dead-lettered after the last attempt. */
  private async onHandlerFailure(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    envelope: { type: string; id: string },
    origin: Origin,
    error: unknown,
  ): Promise<void> {
    const attempt = origin.attempt;
    const reason = describe(error);
    if (attempt >= this.maxAttempts || isPermanent(error)) {
      const why = `handler failed after ${attempt} attempt(s): ${reason}`;
      return this.deadLetter(channel, message, envelope.type, 'dead_lettered', why, attempt, origin);
    }
    if (this.options.redelivery === 'broker') {
      const step = nextRetryStep(this.options.service, attempt, this.maxAttempts, this.retryDelaysMs);
      if (step !== 'dead-letter') {
        try {
          await this.options.publisher.retry({
            queue: step.queue,
            original: message,
            nextAttempt: attempt + 1,
            routingKey: origin.routingKey,
            userId: origin.userId,
            lastError: reason,
          });
          this.settled(message);
          settle(() => channel.ack(message));
          eventsConsumed.inc({ type: envelope.type, outcome: 'retried' });
          this.options.logger.warn(
            { type: envelope.type, eventId: envelope.id, attempt, retryInMs: step.delayMs, err: reason },
            'handler failed; retried through the broker later',
          );
          return;
        } catch (retryError) {
          this.options.logger.error(
            { type: envelope.type, err: describe(retryError) },
            'could not put the message in its retry queue; returned to its queue',
          );
        }
      }
    } else {
      this.options.logger.warn(
        { type: envelope.type, eventId: envelope.id, attempt, err: reason },
        'handler failed; will retry',
      );
    }
    await delay(Math.min((this.options.retryDelayMs ?? 100) * attempt, 2_000));
    settle(() => channel.nack(message, false, true));
    eventsConsumed.inc({ type: envelope.type, outcome: 'retried' });
  }

  /** Never handed to a handler: told to `onRefused` (retried if that fails), then dead-lettered. */
  private async refuse(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    origin: Origin,
    refused: RefusedMessage,
  ): Promise<void> {
    const attempt = origin.attempt;
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
        return this.deadLetter(
          channel,
          message,
          refused.type,
          'refused',
          unrecorded,
          attempt,
          origin,
          refused.code,
        );
      }
    }
    eventsRefused.inc({ code: refused.code });
    return this.deadLetter(channel, message, refused.type, 'refused', why, attempt, origin, refused.code);
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
    origin: Origin,
    refusal?: RefusalCode,
  ): Promise<void> {
    try {
      await this.options.publisher.deadLetter({
        queue: this.deadLetterQueue,
        original: message,
        reason,
        attempts,
        refusal,
        routingKey: origin.routingKey,
        userId: origin.userId,
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

/** Whether a topic binding pattern (`*` one word, `#` any words) matches a routing key. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const match = (p: string[], k: string[]): boolean => {
    if (p.length === 0) return k.length === 0;
    const [head, ...rest] = p;
    if (head === '#') return match(rest, k) || (k.length > 0 && match(p, k.slice(1)));
    if (k.length === 0) return false;
    return (head === '*' || head === k[0]) && match(rest, k.slice(1));
  };
  return match(pattern.split('.'), routingKey.split('.'));
}

/** How often a service samples the depth of its dead-letter queue. */
const DEPTH_SAMPLE_MS = 30_000;

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
  return errorMessage(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
