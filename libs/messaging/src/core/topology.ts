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

export function deadLetterQueueArguments(): Record<string, unknown> {
  return { 'x-queue-type': 'quorum' };
}

/** Validates a binding pattern: event types, `*` and `#` in dot-separated words. */
export function assertBindingPattern(pattern: string): void {
  if (!/^(#|\*|[a-z_]+)(\.(#|\*|[a-z0-9_]+))*$/.test(pattern)) {
    throw new Error(`"${pattern}" is not a valid binding pattern (dot-separated words, * or #)`);
  }
}
