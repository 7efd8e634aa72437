import { isDatabaseConnectionError, originOf, probeDelayMs, type ArrivalFacts } from './redelivery';
import { DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE, nextRetryStep, retryQueueArguments } from './topology';

const backFromRetry: ArrivalFacts = {
  service: 'orchestrator',
  ownUser: 'conveyor-orchestrator',
  exchange: DEAD_LETTER_EXCHANGE,
  routingKey: 'conveyor.orchestrator',
  userId: 'conveyor-orchestrator',
  headers: {
    'x-conveyor-attempt': 3,
    'x-conveyor-routing-key': 'pool.server.drained',
    'x-conveyor-user-id': 'conveyor-pool-manager',
  },
  deliveryCount: 0,
};

describe('originOf', () => {
  it('takes the original routing key, publisher and attempt from a retry the service itself wrote', () => {
    expect(originOf(backFromRetry)).toEqual({
      routingKey: 'pool.server.drained',
      userId: 'conveyor-pool-manager',
      attempt: 3,
      retried: true,
    });
  });

  it('adds the quorum queue redeliveries of the returned copy', () => {
    expect(originOf({ ...backFromRetry, deliveryCount: 2 }).attempt).toBe(5);
  });

  it('does not believe retry headers from another broker user', () => {
    expect(originOf({ ...backFromRetry, userId: 'conveyor-pipeline' })).toEqual({
      routingKey: 'conveyor.orchestrator',
      userId: 'conveyor-pipeline',
      attempt: 1,
      retried: false,
    });
  });

  it('does not believe retry headers on a message published to the events exchange', () => {
    const facts = { ...backFromRetry, exchange: EVENTS_EXCHANGE, routingKey: 'pool.server.drained' };
    expect(originOf(facts)).toMatchObject({ userId: 'conveyor-orchestrator', attempt: 1, retried: false });
  });

  it('counts a first delivery as attempt 1 and each broker redelivery as one more', () => {
    const plain = { ...backFromRetry, exchange: EVENTS_EXCHANGE, routingKey: 'x.y', headers: undefined };
    expect(originOf(plain).attempt).toBe(1);
    expect(originOf({ ...plain, deliveryCount: 1 }).attempt).toBe(2);
  });

  it('starts again at attempt 1 when the attempt header is missing or nonsense', () => {
    const headers = { ...backFromRetry.headers, 'x-conveyor-attempt': 'many' };
    expect(originOf({ ...backFromRetry, headers }).attempt).toBe(1);
  });
});

describe('nextRetryStep', () => {
  const delays = [1_000, 5_000, 30_000];
  it('sends attempt n to retry level n, repeating the last level', () => {
    expect(nextRetryStep('audit', 1, 6, delays)).toEqual({
      level: 1,
      queue: 'conveyor.audit.retry.1',
      delayMs: 1_000,
    });
    expect(nextRetryStep('audit', 3, 6, delays)).toMatchObject({ level: 3, delayMs: 30_000 });
    expect(nextRetryStep('audit', 5, 6, delays)).toMatchObject({ level: 3, queue: 'conveyor.audit.retry.3' });
  });
  it('dead-letters after the last attempt', () => {
    expect(nextRetryStep('audit', 6, 6, delays)).toBe('dead-letter');
    expect(nextRetryStep('audit', 1, 1, delays)).toBe('dead-letter');
  });
  it('routes an expired retry back to the service queue through the dead-letter exchange', () => {
    expect(retryQueueArguments('audit', 5_000)).toEqual({
      'x-queue-type': 'classic',
      'x-message-ttl': 5_000,
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      'x-dead-letter-routing-key': 'conveyor.audit',
    });
  });
});

describe('isDatabaseConnectionError', () => {
  it.each([
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'terminated by an administrator',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['terminated (TypeORM)', new Error('Connection terminated unexpectedly')],
    ['not accepting connections', new Error('database "x" is not currently accepting connections')],
    ['wrapped by TypeORM', Object.assign(new Error('query failed'), { driverError: { code: '57P01' } })],
    ['as a cause', new Error('handler failed', { cause: new Error('Connection terminated') })],
  ])('is true when the connection is %s', (_, error) => {
    expect(isDatabaseConnectionError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key value'), { code: '23505' })],
    ['a handler bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'Connection terminated'],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseConnectionError(error)).toBe(false);
  });
});

describe('probeDelayMs', () => {
  it('grows from about 250 ms to at most 5 s, with jitter', () => {
    expect(probeDelayMs(0, () => 0.5)).toBe(250);
    expect(probeDelayMs(2, () => 0.5)).toBe(1_000);
    expect(probeDelayMs(30, () => 0.5)).toBe(5_000);
    expect(probeDelayMs(30, () => 1)).toBe(6_000);
    expect(probeDelayMs(0, () => 0)).toBe(200);
  });
});
