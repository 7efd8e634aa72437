import { randomUUID } from 'node:crypto';
import { newCommand, signCommand } from '@conveyor/command-signing';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import type { EventMap } from '@conveyor/contracts';
import {
  AGENT_DEAD_LETTER_QUEUE,
  AGENT_QUEUE_DURABLE,
  agentQueueArguments,
  agentQueueName,
  ConfirmedPublisher,
  connectAmqp,
  createEnvelope,
  EventConsumer,
  waitForConnection,
} from '@conveyor/messaging';
import { createLogger } from '@conveyor/observability';
import { createTestVhost, waitFor, type TestVhost } from '@conveyor/testing';
import { AGENT_MAX_ATTEMPTS } from './agent-runtime';

/**
 * An agent's queue is classic, so the broker never counts deliveries (no x-delivery-count): with
 * the consumer counting attempts itself (`attemptCounting: 'local'`, as the agent runs), a command
 * whose handling always fails is dead-lettered after AGENT_MAX_ATTEMPTS instead of forever.
 */
describe("an agent's classic queue: a command that keeps failing is not retried forever", () => {
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost('conveyor-agent-attempts');
  });

  afterAll(async () => {
    await vhost?.delete();
  });

  it(`dead-letters it after ${AGENT_MAX_ATTEMPTS} attempts with the reason`, async () => {
    const agent = connectAmqp(await vhost.addAgent('web-1'), { connectionName: 'agent-web-1' });
    const orchestrator = connectAmqp(vhost.urlFor('orchestrator'), { connectionName: 'orchestrator' });
    await Promise.all([waitForConnection(agent, 10_000), waitForConnection(orchestrator, 10_000)]);
    const agentPublisher = new ConfirmedPublisher(agent, { sharedTopology: 'check' });
    const orchestratorPublisher = new ConfirmedPublisher(orchestrator, { sharedTopology: 'check' });
    const attempts: number[] = [];
    const consumer = new EventConsumer(agent, {
      service: 'agent.web-1',
      bindings: ['agent.discovery.requested'],
      queue: {
        name: agentQueueName('web-1'),
        durable: AGENT_QUEUE_DURABLE,
        arguments: agentQueueArguments({ messageTtlMs: 60_000 }),
      },
      deadLetterQueue: AGENT_DEAD_LETTER_QUEUE,
      sharedTopology: 'check',
      publisher: agentPublisher,
      logger: createLogger('agent-test', { level: 'silent' }),
      attemptCounting: 'local',
      maxAttempts: AGENT_MAX_ATTEMPTS,
      retryDelayMs: 10,
      handle: (_envelope, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('the disk is full'));
      },
    });
    try {
      await consumer.start();
      const envelope = createEnvelope('orchestrator', 'agent.discovery.requested', discoveryCommand());
      await orchestratorPublisher.publish({
        id: envelope.id,
        type: envelope.type,
        body: JSON.stringify(envelope),
      });
      const [dead] = await waitFor(
        'the dead letter',
        async () => {
          const peeked = await vhost.peek(AGENT_DEAD_LETTER_QUEUE, 10);
          return peeked.length > 0 ? peeked : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect(dead?.headers['x-conveyor-error']).toBe(
        `handler failed after ${AGENT_MAX_ATTEMPTS} attempt(s): the disk is full`,
      );
      expect(attempts).toEqual([1, 2, 3, 4, 5]);
      expect(await vhost.queueDepth(agentQueueName('web-1'))).toBe(0);
    } finally {
      await consumer.stop();
      await Promise.all([agentPublisher.close(), orchestratorPublisher.close()]);
      await Promise.all([agent.close(), orchestrator.close()]);
    }
  });
});

/** A signed discovery command for every agent with service=billing (only its shape matters here). */
function discoveryCommand(): EventMap['agent.discovery.requested'] {
  const key = generateSigningKeyPair();
  return signCommand(
    newCommand({
      kind: 'discovery',
      target: { facts: { service: 'billing' } },
      payload: { requestId: randomUUID() },
    }),
    key.privateKeyPem,
    key.keyId,
  ) as EventMap['agent.discovery.requested'];
}
