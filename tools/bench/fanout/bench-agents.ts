import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { createHash, verify } from 'node:crypto';
import {
  checkCommand,
  checkTimeWindow,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  MAX_COMMAND_LIFETIME_MS,
  matchesTarget,
  MemoryNonceStore,
  nonceRetentionEnd,
  signingInput,
  type TrustedKeys,
} from '@conveyor/command-signing';
import { decodeEnvelope, discoveryCommandPayload, type SignedCommand } from '@conveyor/contracts';
import {
  AGENT_QUEUE_DURABLE,
  agentQueueArguments,
  agentQueueName,
  createEnvelope,
  EVENTS_EXCHANGE,
  type ConfirmedPublisher,
} from '@conveyor/messaging';

/**
 * Lightweight agents for the fanout benchmark: each has its own queue (the real agent's queue name
 * and arguments, bound to agent.discovery.requested) and runs the real agent's discovery path —
 * envelope decoding, the full command check (schema, key, Ed25519 signature, time, target, nonce)
 * and a validated reply. They share a process, connections and channels (a real agent has its own
 * machine); what they skip is the per-agent process, journal and file nonce store.
 *
 * CPU work that N real agents do in parallel, on N machines, is serialized here in one process. By
 * default one Ed25519 verification is shared by the agents that receive identical bytes (memoized by
 * key id, signature and sha256 of the signed bytes, so a different byte never hits the cache); every
 * agent still decodes and validates the envelope, canonicalizes the command, checks time, target and
 * its own nonce. `fullCheck` runs the agent's `checkCommand` verbatim per agent instead.
 */
/** agent: the real agent's queue (non-durable classic, TTL, idle expiry); the others are for comparison. */
export type BenchQueueType = 'agent' | 'durable-classic' | 'quorum';

export interface BenchAgentsOptions {
  connection: AmqpConnectionManager;
  publisher: ConfirmedPublisher;
  count: number;
  trustedKeys: TrustedKeys;
  facts: Readonly<Record<string, string>>;
  /** Consumers per channel; RabbitMQ caps channels per connection (2047 by default). */
  agentsPerChannel?: number;
  queueType?: BenchQueueType;
  fullCheck?: boolean;
}

export async function startBenchAgents(options: BenchAgentsOptions): Promise<ChannelWrapper[]> {
  const perChannel = options.agentsPerChannel ?? 250;
  const channels: ChannelWrapper[] = [];
  const agentArguments = agentQueueArguments({
    messageTtlMs: MAX_COMMAND_LIFETIME_MS + DEFAULT_MAX_CLOCK_SKEW_MS,
  });
  const queueArguments: Record<string, unknown> =
    options.queueType === 'quorum'
      ? { 'x-queue-type': 'quorum', 'x-message-ttl': MAX_COMMAND_LIFETIME_MS }
      : agentArguments;
  const durable =
    options.queueType === 'quorum' || options.queueType === 'durable-classic' ? true : AGENT_QUEUE_DURABLE;
  for (let first = 0; first < options.count; first += perChannel) {
    const ids = Array.from(
      { length: Math.min(perChannel, options.count - first) },
      (_, offset) => `bench-${first + offset}`,
    );
    const channel = options.connection.createChannel({
      name: `bench-agents-${first}`,
      confirm: false,
      setup: async (raw: ConfirmChannel) => {
        await raw.prefetch(4);
        await Promise.all(
          ids.map(async (nodeId) => {
            const queue = agentQueueName(nodeId);
            await raw.assertQueue(queue, { durable, arguments: queueArguments });
            await raw.bindQueue(queue, EVENTS_EXCHANGE, 'agent.discovery.requested');
            const nonceStore = new MemoryNonceStore();
            await raw.consume(queue, (message) => {
              if (message !== null) void answer(raw, message, nodeId, nonceStore, options);
            });
          }),
        );
      },
    });
    channels.push(channel);
  }
  await Promise.all(channels.map((channel) => channel.waitForConnect()));
  return channels;
}

const verifiedSignatures = new Map<string, boolean>();

/** The agent's checks, with the signature verification shared between identical deliveries. */
async function leanCheck(
  data: unknown,
  command: SignedCommand<{ requestId: string }>,
  nodeId: string,
  nonceStore: MemoryNonceStore,
  options: BenchAgentsOptions,
): Promise<boolean> {
  const key = options.trustedKeys.get(command.keyId);
  if (key === undefined) return false;
  const bytes = signingInput(data as object);
  const cacheKey = `${command.keyId}:${command.signature}:${createHash('sha256').update(bytes).digest('hex')}`;
  let valid = verifiedSignatures.get(cacheKey);
  if (valid === undefined) {
    valid = verify(null, bytes, key, Buffer.from(command.signature, 'base64'));
    verifiedSignatures.set(cacheKey, valid);
  }
  const now = new Date();
  const policy = { maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS };
  return (
    valid &&
    checkTimeWindow(command, now, policy).ok &&
    matchesTarget(command.target, nodeId, options.facts) &&
    (await nonceStore.recordIfNew(command.nonce, nonceRetentionEnd(command, policy), now))
  );
}

async function answer(
  channel: ConfirmChannel,
  message: ConsumeMessage,
  nodeId: string,
  nonceStore: MemoryNonceStore,
  options: BenchAgentsOptions,
): Promise<void> {
  try {
    const raw = JSON.parse(message.content.toString('utf8')) as { data?: unknown };
    const decoded = decodeEnvelope(raw);
    if (!decoded.ok || decoded.envelope.type !== 'agent.discovery.requested') return;
    let requestId: string;
    if (options.fullCheck) {
      const result = await checkCommand(raw.data, {
        trustedKeys: options.trustedKeys,
        nodeId,
        facts: options.facts,
        nonceStore,
        payloadSchema: discoveryCommandPayload,
        now: new Date(),
      });
      if (!result.ok) return;
      requestId = result.command.payload.requestId;
    } else {
      if (!(await leanCheck(raw.data, decoded.envelope.data, nodeId, nonceStore, options))) return;
      requestId = decoded.envelope.data.payload.requestId;
    }
    const reply = createEnvelope(`agent/${nodeId}`, 'agent.discovery.replied', {
      requestId,
      nodeId,
      facts: { ...options.facts },
      currentVersion: '1.0.0',
    });
    await options.publisher.publish({ id: reply.id, type: reply.type, body: JSON.stringify(reply) });
  } finally {
    try {
      channel.ack(message);
    } catch {
      // the channel closed (bench shutting down)
    }
  }
}
