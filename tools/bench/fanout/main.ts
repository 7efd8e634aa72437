import { errorMessage } from '@conveyor/errors';
/**
 * `npm run bench -- fanout [--agents N] [--queue-type agent|durable-classic|quorum] [--full-check]`: N lightweight agents, each
 * with its own queue, receive one signed discovery request through the topic exchange; each checks
 * it in full and replies. Measures the time from publishing the request to the last reply.
 * Creates and deletes its own RabbitMQ vhost. The last line printed is one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadTrustedKeys, newCommand, signCommand } from '@conveyor/command-signing';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import {
  ConfirmedPublisher,
  connectAmqp,
  createEnvelope,
  EventConsumer,
  waitForConnection,
} from '@conveyor/messaging';
import { createLogger } from '@conveyor/observability';
import { createTestVhost, type TestVhost } from '@conveyor/testing';
import { startBenchAgents, type BenchQueueType } from './bench-agents';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    'queue-type': { type: 'string', default: 'agent' },
    'full-check': { type: 'boolean', default: false },
  },
});
const agents = Number(values.agents);
if (!Number.isInteger(agents) || agents < 1 || agents > 50_000)
  throw new Error(`--agents must be an integer 1..50000, got ${values.agents}`);
const QUEUE_TYPES: readonly BenchQueueType[] = ['agent', 'durable-classic', 'quorum'];
const queueType = QUEUE_TYPES.find((type) => type === values['queue-type']);
if (queueType === undefined)
  throw new Error(`--queue-type must be one of ${QUEUE_TYPES.join(', ')}, got ${values['queue-type']}`);

async function main(): Promise<void> {
  const logger = createLogger('bench-fanout', { level: 'warn' });
  const vhost = await createTestVhost('conveyor-bench-fanout');
  // Thousands of simulated agents share one administrator connection: their replies carry user_id
  // guest, which a real consumer refuses, so the collector counts them from onRefused (this bench
  // measures the fan-out of one command, not authentication).
  const agentConnection = connectAmqp(vhost.adminUrl, { connectionName: 'bench-fanout-agents' });
  const orchestratorConnection = connectAmqp(vhost.urlFor('orchestrator'), {
    connectionName: 'bench-fanout-orchestrator',
  });
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    await Promise.all([
      waitForConnection(agentConnection, 10_000),
      waitForConnection(orchestratorConnection, 10_000),
    ]);
    const keys = generateSigningKeyPair();
    const agentPublisher = new ConfirmedPublisher(agentConnection);
    const orchestratorPublisher = new ConfirmedPublisher(orchestratorConnection, { sharedTopology: 'check' });
    cleanup.push(
      () => agentPublisher.close(),
      () => orchestratorPublisher.close(),
    );

    const requestId = randomUUID();
    let replies = 0;
    let lastReplyAt = 0;
    let allReplied!: () => void;
    const done = new Promise<void>((resolve) => (allReplied = resolve));
    const collector = new EventConsumer(orchestratorConnection, {
      service: 'orchestrator',
      sharedTopology: 'check',
      bindings: ['agent.discovery.replied'],
      publisher: orchestratorPublisher,
      logger,
      prefetch: 1000,
      handle: (envelope) => {
        if (
          envelope.type === 'agent.discovery.replied' &&
          envelope.data.requestId === requestId &&
          ++replies === agents
        ) {
          lastReplyAt = performance.now();
          allReplied();
        }
        return Promise.resolve('handled');
      },
      onRefused: (refused) => {
        const body = JSON.parse(refused.rawBody) as { type?: string; data?: { requestId?: string } };
        if (
          body.type === 'agent.discovery.replied' &&
          body.data?.requestId === requestId &&
          ++replies === agents
        ) {
          lastReplyAt = performance.now();
          allReplied();
        }
        return Promise.resolve();
      },
    });
    await collector.start();
    cleanup.push(() => collector.stop());

    const setupStartedAt = performance.now();
    const channels = await startBenchAgents({
      connection: agentConnection,
      publisher: agentPublisher,
      count: agents,
      trustedKeys: loadTrustedKeys([keys.publicKeyPem]),
      facts: { environment: 'bench', role: 'web', os: 'linux' },
      queueType,
      fullCheck: values['full-check'],
    });
    cleanup.push(() => Promise.all(channels.map((channel) => channel.close())));
    const setupSeconds = (performance.now() - setupStartedAt) / 1000;
    const mode = values['full-check']
      ? 'full checkCommand per agent'
      : 'one shared Ed25519 verify per distinct command';
    process.stdout.write(
      `fanout: ${agents} agents (${queueType} queues, ${mode}) ready in ${setupSeconds.toFixed(1)} s\n`,
    );

    const command = signCommand(
      newCommand({ kind: 'discovery', target: { facts: { environment: 'bench' } }, payload: { requestId } }),
      keys.privateKeyPem,
      keys.keyId,
    );
    const request = createEnvelope('bench-orchestrator', 'agent.discovery.requested', command);
    const sentAt = performance.now();
    await orchestratorPublisher.publish({
      id: request.id,
      type: request.type,
      body: JSON.stringify(request),
    });
    const confirmedAt = performance.now();
    const timeout = setTimeout(() => allReplied(), Math.max(60_000, agents * 10));
    await done;
    clearTimeout(timeout);
    if (replies < agents) throw new Error(`only ${replies} of ${agents} agents replied`);
    const seconds = (lastReplyAt - sentAt) / 1000;
    process.stdout.write(
      `fanout: request confirmed by the broker after ${((confirmedAt - sentAt) / 1000).toFixed(3)} s (copied into ${agents} queues)\n`,
    );
    process.stdout.write(
      `fanout: ${replies} replies, last after ${seconds.toFixed(3)} s (${Math.round(agents / seconds)} replies/s)\n`,
    );
    process.stdout.write(
      `${JSON.stringify({ bench: 'fanout', agents, seconds: Number(seconds.toFixed(3)) })}\n`,
    );
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    await Promise.all([agentConnection.close(), orchestratorConnection.close()]).catch(() => undefined);
    await deleteVhost(vhost);
  }
}

/** Deleting a vhost with thousands of queues keeps the management API busy: retry for a while. */
async function deleteVhost(vhost: TestVhost): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await vhost.delete();
      return;
    } catch (error) {
      if (attempt >= 10) {
        process.stderr.write(`fanout: could not delete vhost ${vhost.name}: ${errorMessage(error)}\n`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

// A stray rejection (e.g. an ack on a channel closing during shutdown) must not skip the vhost cleanup.
process.on('unhandledRejection', (error) =>
  process.stderr.write(`fanout: ignored: ${errorMessage(error)}\n`),
);

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`fanout bench failed: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
