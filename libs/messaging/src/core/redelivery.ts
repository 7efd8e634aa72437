import { DEAD_LETTER_EXCHANGE, RETRY_HEADERS, serviceQueueName } from './topology';

/** What the consumer needs to know about a delivery to find where it really came from. Pure data. */
export interface ArrivalFacts {
  /** The service whose queue delivered it. */
  service: string;
  /** The broker user this service consumes and publishes as. */
  ownUser: string;
  /** The exchange and routing key it arrived with (after a retry: the dead-letter exchange and the queue's name). */
  exchange: string;
  routingKey: string;
  /** The AMQP user_id (RabbitMQ guarantees it is the publishing connection's user). */
  userId: string | undefined;
  headers: Record<string, unknown> | undefined;
  /** Quorum queue redeliveries of this copy (`x-delivery-count`), 0 for the first. */
  deliveryCount: number;
}

/** Where a delivery came from, as authentication and attempt counting should see it. */
export interface Origin {
  /** The routing key to authenticate (the original publish's for a retried message). */
  routingKey: string;
  /** The user_id to authenticate (the original publisher's for a retried message). */
  userId: string | undefined;
  /** 1 for the first delivery. */
  attempt: number;
  /** True when it came back from one of the service's retry queues (or a replay). */
  retried: boolean;
}

/**
 * A message back from a retry queue arrives on the dead-letter exchange under the service queue's
 * name. Its headers (original routing key, original publisher, attempt) are believed only when
 * its own user_id is this service's user: RabbitMQ refuses a user_id that is not the publishing
 * connection's, so only this service can have written them. Anything else keeps its own routing
 * key and user_id, and is refused by `authenticateDelivery` (its routing key is not its type).
 */
export function originOf(facts: ArrivalFacts): Origin {
  const headers = facts.headers ?? {};
  const backFromRetry =
    facts.exchange === DEAD_LETTER_EXCHANGE &&
    facts.routingKey === serviceQueueName(facts.service) &&
    facts.userId === facts.ownUser &&
    typeof headers[RETRY_HEADERS.routingKey] === 'string';
  if (!backFromRetry) {
    return {
      routingKey: facts.routingKey,
      userId: facts.userId,
      attempt: facts.deliveryCount + 1,
      retried: false,
    };
  }
  const originalUser = headers[RETRY_HEADERS.userId];
  const attempt = Number(headers[RETRY_HEADERS.attempt]);
  return {
    routingKey: headers[RETRY_HEADERS.routingKey] as string,
    userId: typeof originalUser === 'string' ? originalUser : undefined,
    attempt: (Number.isInteger(attempt) && attempt >= 1 ? attempt : 1) + facts.deliveryCount,
    retried: true,
  };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // PostgreSQL: connection exceptions, admin/crash shutdown, cannot connect now, too many connections.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /terminating connection due to administrator command/i,
  /is not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /connect ECONNREFUSED/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
];

/**
 * Whether a handler failed because the database could not be reached (refused, terminated,
 * not accepting connections), as opposed to a failure of the handling itself. Looks through
 * TypeORM's `driverError` and `cause`. Pure.
 */
export function isDatabaseConnectionError(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== 'object') return false;
  const candidate = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof candidate.code === 'string' && CONNECTION_CODES.has(candidate.code)) return true;
  if (
    typeof candidate.message === 'string' &&
    CONNECTION_MESSAGES.some((re) => re.test(candidate.message as string))
  )
    return true;
  return (
    isDatabaseConnectionError(candidate.driverError, depth + 1) ||
    isDatabaseConnectionError(candidate.cause, depth + 1)
  );
}

/** The wait before the n-th probe (0-based) of an unreachable database: 250 ms doubling to 5 s. */
export function probeDelayMs(probe: number, random: () => number = Math.random): number {
  const base = Math.min(250 * 2 ** Math.min(probe, 10), 5_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}
