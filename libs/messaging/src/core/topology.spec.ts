import {
  assertBindingPattern,
  deadLetterQueueName,
  serviceQueueArguments,
  serviceQueueName,
} from './topology';

describe('topology', () => {
  it('gives each service a quorum queue that dead-letters to its own dead-letter queue', () => {
    expect(serviceQueueName('pool-manager')).toBe('conveyor.pool-manager');
    expect(serviceQueueArguments({ service: 'pool-manager', maxAttempts: 5 })).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 7,
      'x-dead-letter-exchange': 'conveyor.dead-letter',
      'x-dead-letter-routing-key': deadLetterQueueName('pool-manager'),
    });
  });

  it('accepts event types and wildcards, refuses anything else', () => {
    for (const ok of ['#', 'deployment.requested', 'deployment.*', 'agent.deploy.requested.v2', 'pool.#']) {
      expect(() => assertBindingPattern(ok)).not.toThrow();
    }
    for (const bad of ['', 'Deployment', 'a..b', 'a b', 'deployment.']) {
      expect(() => assertBindingPattern(bad)).toThrow(/not a valid binding pattern/);
    }
  });
});
