import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import {
  createEnvelope,
  ConfirmedPublisher,
  connectAmqp,
  EventConsumer,
  waitForConnection,
} from '@conveyor/messaging';
import { createLogger } from '@conveyor/observability';
import { newCommand, signCommand, type CommandKind, type CommandTarget } from '@conveyor/command-signing';
import { generateSigningKeyPair, type SigningKeyPair } from '@conveyor/signing-keys';
import type { ArtifactRef, EventEnvelope, EventMap, SignedCommand } from '@conveyor/contracts';
import {
  buildArtifact,
  startArtifactServer,
  type ArtifactServer,
  type BuildArtifactOptions,
  type BuiltArtifact,
} from '@conveyor/fleet';
import { createTestVhost, httpGet, waitFor, type TestVhost } from '@conveyor/testing';

/** The replies a test orchestrator listens to. */
export const REPLY_TYPES = [
  'agent.registered',
  'agent.heartbeat',
  'agent.deploy.started',
  'agent.deploy.progressed',
  'agent.deploy.succeeded',
  'agent.deploy.failed',
  'agent.rollback.succeeded',
  'agent.rollback.failed',
  'agent.migrate.succeeded',
  'agent.migrate.failed',
  'agent.command.rejected',
  'agent.discovery.replied',
  'agent.state.reported',
] as const;
type ReplyType = (typeof REPLY_TYPES)[number];

type CommandEventType =
  | 'agent.deploy.requested'
  | 'agent.rollback.requested'
  | 'agent.migrate.requested'
  | 'agent.discovery.requested'
  | 'agent.state.requested';

/**
 * Everything an agent integration test needs, real: a fresh vhost, a temp dir, an artifact server,
 * a signing key, and a "test-orchestrator" that publishes signed commands and collects replies —
 * as the orchestrator's own broker user, on the orchestrator's queue (agents accept commands only
 * from the orchestrator's user; the broker lets only it publish them).
 */
export class AgentHarness {
  private constructor(
    readonly received: EventEnvelope[],
    readonly vhost: TestVhost,
    readonly dir: string,
    readonly keys: SigningKeyPair,
    readonly artifactServer: ArtifactServer,
    private readonly connection: AmqpConnectionManager,
    private readonly publisher: ConfirmedPublisher,
    private readonly consumer: EventConsumer,
  ) {}

  static async create(): Promise<AgentHarness> {
    const vhost = await createTestVhost('conveyor-agent-test');
    const dir = await mkdtemp(join(tmpdir(), 'agent-test-'));
    await mkdir(join(dir, 'artifacts'));
    const artifactServer = await startArtifactServer(join(dir, 'artifacts'));
    const connection = connectAmqp(vhost.urlFor('orchestrator'), { connectionName: 'test-orchestrator' });
    await waitForConnection(connection, 10_000);
    const publisher = new ConfirmedPublisher(connection, { sharedTopology: 'check' });
    const received: EventEnvelope[] = [];
    const consumer = new EventConsumer(connection, {
      service: 'orchestrator',
      sharedTopology: 'check',
      bindings: [...REPLY_TYPES],
      publisher,
      logger: createLogger('test-orchestrator', { level: 'silent' }),
      handle: (envelope) => {
        received.push(envelope);
        return Promise.resolve('handled');
      },
    });
    await consumer.start();
    return new AgentHarness(
      received,
      vhost,
      dir,
      generateSigningKeyPair(),
      artifactServer,
      connection,
      publisher,
      consumer,
    );
  }

  /**
   * Provisions the broker users of agents `web-1` … `web-<n>` (or `<prefix>-…`) in the test vhost;
   * returns the AMQP URL for a node id, for `startFleet({ amqpUrl })`.
   */
  async agentUrls(n: number, prefix = 'web'): Promise<(nodeId: string) => string> {
    for (let index = 1; index <= n; index += 1) await this.vhost.addAgent(`${prefix}-${index}`);
    return (nodeId) => this.vhost.urlFor(`agent:${nodeId}`);
  }

  /** Builds a sample-app artifact into the served directory; returns it with its command reference. */
  async artifact(
    options: Omit<BuildArtifactOptions, 'outDir'>,
  ): Promise<BuiltArtifact & { ref: ArtifactRef & { size: number } }> {
    const built = await buildArtifact({ ...options, outDir: join(this.dir, 'artifacts') });
    const ref = {
      service: 'sample-app',
      version: built.version,
      url: `${this.artifactServer.url}/${basename(built.path)}`,
      sha256: built.sha256,
      size: built.size,
    };
    return { ...built, ref };
  }

  sign<P>(
    kind: CommandKind,
    target: CommandTarget,
    payload: P,
    options: { lifetimeMs?: number; now?: Date; key?: SigningKeyPair } = {},
  ): SignedCommand<P> {
    const key = options.key ?? this.keys;
    return signCommand(
      newCommand({ kind, target, payload, lifetimeMs: options.lifetimeMs, now: options.now }),
      key.privateKeyPem,
      key.keyId,
    );
  }

  /** Publishes a command as the orchestrator would (its envelope validated against the contract). */
  async send<T extends CommandEventType>(type: T, command: EventMap[T]): Promise<void> {
    const envelope = createEnvelope('test-orchestrator', type, command as never, { actor: 'test' });
    await this.publisher.publish({ id: envelope.id, type, body: JSON.stringify(envelope) });
  }

  /** Publishes anything under a command type, bypassing the contract (unsigned, malformed). */
  async sendRaw(type: CommandEventType, data: unknown): Promise<void> {
    const id = randomUUID();
    const envelope = {
      specversion: '1.0',
      id,
      type,
      source: 'test-orchestrator',
      time: new Date().toISOString(),
      subject: null,
      correlationid: id,
      causationid: null,
      actor: 'test',
      datacontenttype: 'application/json',
      data,
    };
    await this.publisher.publish({ id, type, body: JSON.stringify(envelope) });
  }

  events<T extends ReplyType>(type: T, where: (data: EventMap[T]) => boolean = () => true): EventMap[T][] {
    return this.received
      .filter((event) => event.type === type)
      .map((event) => event.data as EventMap[T])
      .filter(where);
  }

  async waitForEvents<T extends ReplyType>(
    type: T,
    count: number,
    where: (data: EventMap[T]) => boolean = () => true,
    timeoutMs = 60_000,
  ): Promise<EventMap[T][]> {
    return waitFor(
      `${count} × ${type}`,
      () => {
        const found = this.events(type, where);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  async close(): Promise<void> {
    await this.consumer.stop().catch(() => undefined);
    await this.publisher.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
    await this.artifactServer.close().catch(() => undefined);
    await this.vhost.delete();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The version the sample app on `port` says it runs (GET /version), or `down` when nothing answers. */
export async function servedVersion(port: number): Promise<string> {
  try {
    const response = await httpGet(`http://127.0.0.1:${port}/version`, 3000);
    return (JSON.parse(response.body) as { version: string }).version;
  } catch {
    return 'down';
  }
}
