import type { AmqpConnectionManager } from 'amqp-connection-manager';
import {
  contractsByType,
  type EventEnvelope,
  type EventInput,
  type EventType,
  type Participant,
} from '@conveyor/contracts';
import {
  ConfirmedPublisher,
  connectAmqp,
  createEnvelope,
  waitForConnection,
  type EmitOptions,
} from '@conveyor/messaging';
import type { TestVhost } from './test-vhost';

/**
 * For scripted stand-ins in tests: publishes each event as its declared producer, each over its
 * own connection as that producer's least-privileged user (an agent's event as the node its
 * `data.nodeId` names) — so what a stand-in sends is accepted exactly as the real producer's
 * would be, and nothing else is.
 */
export class ParticipantBus {
  private readonly publishers = new Map<Participant, Promise<Opened>>();

  constructor(private readonly vhost: TestVhost) {}

  /** Publishes `type` as its producer; resolves once the broker confirmed it. */
  async publish<T extends EventType>(
    type: T,
    data: EventInput[T],
    options: EmitOptions = {},
  ): Promise<EventEnvelope<T>> {
    const participant = producerOf(type, data);
    const envelope = createEnvelope(participant, type, data, options);
    const { publisher } = await this.publisherFor(participant);
    await publisher.publish({ id: envelope.id, type, body: JSON.stringify(envelope) });
    return envelope;
  }

  async close(): Promise<void> {
    const opened = await Promise.allSettled([...this.publishers.values()]);
    this.publishers.clear();
    for (const result of opened) {
      if (result.status !== 'fulfilled') continue;
      await result.value.publisher.close().catch(() => undefined);
      await result.value.connection.close().catch(() => undefined);
    }
  }

  private publisherFor(participant: Participant): Promise<Opened> {
    let opened = this.publishers.get(participant);
    if (opened === undefined) {
      opened = this.open(participant);
      this.publishers.set(participant, opened);
    }
    return opened;
  }

  private async open(participant: Participant): Promise<Opened> {
    const url = participant.startsWith('agent:')
      ? await this.vhost.addAgent(participant.slice('agent:'.length))
      : this.vhost.urlFor(participant);
    const connection = connectAmqp(url, { connectionName: `test-${participant}` });
    await waitForConnection(connection, 10_000);
    return { connection, publisher: new ConfirmedPublisher(connection, { sharedTopology: 'check' }) };
  }
}

interface Opened {
  connection: AmqpConnectionManager;
  publisher: ConfirmedPublisher;
}

/** Who legitimately publishes this event: its contract's producer (an agent: the node it names). */
export function producerOf(type: EventType, data: unknown): Participant {
  const contract = contractsByType.get(type);
  if (contract === undefined) throw new Error(`unknown event type "${type}"`);
  if (contract.producer !== 'agent') return contract.producer;
  const nodeId = (data as { nodeId?: unknown }).nodeId;
  if (typeof nodeId !== 'string') throw new Error(`${type} names no data.nodeId: no agent can publish it`);
  return `agent:${nodeId}`;
}
