/** Names and arguments of Conveyor's RabbitMQ topology. Pure: no I/O. */
export const EVENTS_EXCHANGE = 'conveyor.events';
export const DEAD_LETTER_EXCHANGE = 'conveyor.dead-letter';

export function serviceQueueName(service: string): string {
  return `conveyor.${service}`;
}

export function deadLetterQueueName(service: string): string {
  return `conveyor.${service}.dead-letter`;
}

export interface QueueSettings {
  service: string;
  /** How often a failing handler is tried before its message is dead-lettered. */
  maxAttempts: number;
}

/**
 * A durable quorum queue per service. The consumer dead-letters a message itself after
 * `maxAttempts`, with the reason; `x-delivery-limit` is the broker's safety net for a message
 * whose handling kills the process every time (RabbitMQ 3.10 has no default limit).
 */
export function serviceQueueArguments(settings: QueueSettings): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    'x-delivery-limit': settings.maxAttempts + 2,
    'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
    'x-dead-letter-routing-key': deadLetterQueueName(settings.service),
  };
}

/** How a consumer's queue differs from its service's quorum queue (see EventConsumerOptions.queue). */
export interface QueueOverride {
  name: string;
  /** Queue arguments (x-queue-type, x-message-ttl, …); they must match any existing queue of that name. */
  arguments?: Record<string, unknown>;
  durable?: boolean;
  exclusive?: boolean;
  autoDelete?: boolean;
}

/** An agent's own queue: every command reaches every agent's queue, the agent filters on its target. */
export function agentQueueName(nodeId: string): string {
  return `conveyor.agent.${nodeId}`;
}

/** One dead-letter queue for every agent (thousands of agents must not mean thousands more queues). */
export const AGENT_DEAD_LETTER_QUEUE = 'conveyor.agent.dead-letter';

export interface AgentQueueSettings {
  /** Commands older than this are dropped unread (they would be refused as expired anyway). */
  messageTtlMs: number;
  /** The queue itself is deleted after this long without a consumer (a decommissioned agent). */
  idleExpiryMs?: number;
}

/**
 * Per-agent queues are *non-durable classic* queues (not exclusive, not auto-delete: they outlive an
 * agent's restart, and go only with a broker restart or after `idleExpiryMs` without a consumer).
 * Measured with tools/bench/fanout on 2 cores: one persistent command copied into 10,000 durable
 * classic queues was not even confirmed within 10 s (a queue-index write per queue), and thousands
 * of quorum queues are thousands of Raft groups; into non-durable queues it is confirmed in seconds.
 * A command lost with a broker restart is re-sent by the orchestrator (steps time out; the agent
 * is idempotent per stepId).
 */
export const AGENT_QUEUE_DURABLE = false;

export function agentQueueArguments(settings: AgentQueueSettings): Record<string, unknown> {
  return {
    'x-queue-type': 'classic',
    'x-message-ttl': settings.messageTtlMs,
    ...(settings.idleExpiryMs === undefined ? {} : { 'x-expires': settings.idleExpiryMs }),
  };
}

export function deadLetterQueueArguments(): Record<string, unknown> {
  return { 'x-queue-type': 'quorum' };
}

/** Validates a binding pattern: event types, `*` and `#` in dot-separated words. */
export function assertBindingPattern(pattern: string): void {
  if (!/^(#|\*|[a-z_]+)(\.(#|\*|[a-z0-9_]+))*$/.test(pattern)) {
    throw new Error(`"${pattern}" is not a valid binding pattern (dot-separated words, * or #)`);
  }
}

/**
 * Delayed redelivery through the broker. A failed message is published (by the consuming
 * service, as itself) into `conveyor.<service>.retry.<level>` on the dead-letter exchange; the
 * queue's TTL holds it for the level's delay, then the broker dead-letters it back through the
 * dead-letter exchange to the service queue (bound there under its own name). The attempt count
 * and the original routing key and publisher travel in headers (see `RETRY_HEADERS`).
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

export function retryQueueName(service: string, level: number): string {
  if (!Number.isInteger(level) || level < 1) throw new Error(`retry level must be 1 or more, got ${level}`);
  return `conveyor.${service}.retry.${level}`;
}

/** The retry queues of a service's name: `conveyor\.<service>\.retry\.[0-9]+` (a PCRE fragment). */
export function retryQueuePattern(service: string): string {
  return `conveyor\\.${service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.retry\\.[0-9]+`;
}

/**
 * A retry queue: classic and durable, one TTL for every message in it (so they expire in order),
 * dead-lettered back to the service queue through the dead-letter exchange.
 */
export function retryQueueArguments(service: string, delayMs: number): Record<string, unknown> {
  return {
    'x-queue-type': 'classic',
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
    'x-dead-letter-routing-key': serviceQueueName(service),
  };
}

/** Headers a retried (or dead-lettered) message carries, written by the consuming service itself. */
export const RETRY_HEADERS = {
  /** The attempt the next delivery is (2 for the first retry). */
  attempt: 'x-conveyor-attempt',
  /** The routing key the message was first published with (its event type). */
  routingKey: 'x-conveyor-routing-key',
  /** The AMQP user_id of the original publisher. */
  userId: 'x-conveyor-user-id',
  /** Why the last attempt failed. */
  lastError: 'x-conveyor-last-error',
} as const;

export interface RetryStep {
  /** The retry queue level (1-based). */
  level: number;
  queue: string;
  delayMs: number;
}

/**
 * Where a message whose `attempt` failed goes next: the retry queue for that attempt (the last
 * delay repeats when there are more attempts than delays), or `dead-letter` after `maxAttempts`.
 */
export function nextRetryStep(
  service: string,
  attempt: number,
  maxAttempts: number,
  delaysMs: readonly number[],
): RetryStep | 'dead-letter' {
  if (attempt >= maxAttempts || delaysMs.length === 0) return 'dead-letter';
  const level = Math.min(attempt, delaysMs.length);
  return { level, queue: retryQueueName(service, level), delayMs: delaysMs[level - 1] };
}

/** The retry queues a service with these delays declares, one per delay. */
export function retryQueues(service: string, delaysMs: readonly number[]): RetryStep[] {
  return delaysMs.map((delayMs, index) => ({
    level: index + 1,
    queue: retryQueueName(service, index + 1),
    delayMs,
  }));
}

/** Validates retry delays: at least one, each a whole number of milliseconds from 10 ms to 24 h. */
export function assertRetryDelays(delaysMs: readonly number[]): void {
  if (delaysMs.length === 0) throw new Error('retry delays: at least one delay is needed');
  for (const delay of delaysMs) {
    if (!Number.isInteger(delay) || delay < 10 || delay > 86_400_000) {
      throw new Error(`retry delays: ${delay} is not a whole number of milliseconds from 10 to 86400000`);
    }
  }
}
