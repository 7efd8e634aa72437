import { counter, gauge, histogram } from '@conveyor/observability';

export const eventsPublished = counter({
  name: 'conveyor_events_published_total',
  help: 'Events published to RabbitMQ and confirmed by the broker.',
  labelNames: ['type'] as const,
});

export const eventsConsumed = counter({
  name: 'conveyor_events_consumed_total',
  help: 'Events taken from a queue, by outcome: handled, duplicate, retried, dead_lettered, invalid, refused.',
  labelNames: ['type', 'outcome'] as const,
});

export const eventHandlingSeconds = histogram({
  name: 'conveyor_event_handling_seconds',
  help: 'Time spent handling one event, including its transaction.',
  labelNames: ['type'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

export const eventsRefused = counter({
  name: 'conveyor_events_refused_total',
  help: 'Valid messages refused and dead-lettered unhandled: routing key not the type, or not published by the declared producer (by code).',
  labelNames: ['code'] as const,
});

export const consumerPausedForDatabase = counter({
  name: 'conveyor_consumer_database_pauses_total',
  help: 'Times a consumer paused because its database could not be reached (messages held, no attempt counted).',
  labelNames: ['queue'] as const,
});

export const deadLetterQueueDepth = gauge({
  name: 'conveyor_dead_letter_queue_depth',
  help: 'Messages waiting in a service dead-letter queue (sampled by the service every 30 s); replay them with `conveyor dead-letters`.',
  labelNames: ['queue'] as const,
});
