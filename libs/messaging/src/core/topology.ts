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
