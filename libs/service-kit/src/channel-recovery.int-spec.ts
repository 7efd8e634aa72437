import { randomUUID } from 'node:crypto';
import type { ChannelWrapper } from 'amqp-connection-manager';
import {
  ConfirmedPublisher,
  connectAmqp,
  createEnvelope,
  EventConsumer,
  waitForConnection,
} from '@conveyor/messaging';
import { createLogger } from '@conveyor/observability';
import { createTestVhost, waitFor, type TestVhost } from '@conveyor/testing';

/** The channel a consumer or publisher holds (private; reached here to make the broker close it). */
function channelOf(holder: EventConsumer | ConfirmedPublisher): ChannelWrapper {
  return (holder as unknown as { channel: ChannelWrapper }).channel;
}

/** Asks the broker about a queue that does not exist: it answers 404 by closing that channel. */
async function breakChannel(channel: ChannelWrapper): Promise<void> {
  await expect(channel.checkQueue(`no-such-queue-${randomUUID()}`)).rejects.toThrow(/404|NOT_FOUND/);
}

/**
 * amqp-connection-manager re-creates a channel only when its connection comes back. A channel the
 * broker closes on its own (403, 404, 406) must therefore not leave a consumer deaf or a publisher
 * stuck: this proves delivery goes on after the broker closed each of them.
 */
describe('a channel the broker closed, against real RabbitMQ', () => {
  let vhost: TestVhost;
  const logger = createLogger('channel-recovery-test', { level: 'silent' });

  beforeAll(async () => {
    vhost = await createTestVhost('conveyor-channel-recovery');
  });

  afterAll(async () => {
    await vhost?.delete();
  });

  it('a consumer whose channel the broker closed hears events again; a publisher publishes again', async () => {
    const pipeline = connectAmqp(vhost.urlFor('pipeline'), { connectionName: 'pipeline' });
    const orchestrator = connectAmqp(vhost.urlFor('orchestrator'), { connectionName: 'orchestrator' });
    await Promise.all([waitForConnection(pipeline, 10_000), waitForConnection(orchestrator, 10_000)]);
    const pipelinePublisher = new ConfirmedPublisher(pipeline, { sharedTopology: 'check' });
    const orchestratorPublisher = new ConfirmedPublisher(orchestrator, { sharedTopology: 'check' });
    const heard: string[] = [];
    const consumer = new EventConsumer(orchestrator, {
      service: 'orchestrator',
      bindings: ['deployment.pause.requested'],
      sharedTopology: 'check',
      publisher: orchestratorPublisher,
      logger,
      handle: (envelope) => {
        heard.push((envelope.data as { deploymentId: string }).deploymentId);
        return Promise.resolve('handled' as const);
      },
    });
    const publishPause = async () => {
      const deploymentId = randomUUID();
      const envelope = createEnvelope('pipeline', 'deployment.pause.requested', { deploymentId });
      await pipelinePublisher.publish({
        id: envelope.id,
        type: envelope.type,
        body: JSON.stringify(envelope),
      });
      return deploymentId;
    };
    try {
      await consumer.start();
      const first = await publishPause();
      await waitFor('the first event', () => heard.includes(first) || undefined, { timeoutMs: 10_000 });

      await breakChannel(channelOf(consumer));
      const second = await publishPause();
      await waitFor(
        'the event sent after the consumer channel was closed',
        () => heard.includes(second) || undefined,
        {
          timeoutMs: 15_000,
        },
      );

      await breakChannel(channelOf(pipelinePublisher));
      const third = await publishPause();
      await waitFor(
        'the event published after the publisher channel was closed',
        () => heard.includes(third) || undefined,
        {
          timeoutMs: 15_000,
        },
      );
    } finally {
      await consumer.stop();
      await Promise.all([pipeline.close(), orchestrator.close()]);
    }
  }, 60_000);
});
