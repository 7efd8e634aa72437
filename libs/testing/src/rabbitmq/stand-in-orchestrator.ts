import type { EventEnvelope, EventMap, EventType } from '@conveyor/contracts';
import { ConfirmedPublisher, connectAmqp, EventConsumer, waitForConnection } from '@conveyor/messaging';
import { createLogger } from '@conveyor/observability';
import { waitFor } from '../wait-for';
import { ParticipantBus } from './participant-bus';
import type { TestVhost } from './test-vhost';

type Requested = EventMap['deployment.requested'];
type Step = EventMap['deployment.server.progressed']['step'];

export interface StandInOrchestrator {
  /** Every recorded event, in arrival order. */
  readonly received: EventEnvelope[];
  of<T extends EventType>(type: T): EventEnvelope<T>[];
  /** The deployment.requested of an environment, once the pipeline emitted it. */
  requested(environment: string): Promise<Requested>;
  /**
   * Answers a requested deployment as the orchestrator would: started, one batch per server (the
   * first a canary), each server's steps, then the outcome (a rollback on the last batch). With
   * `pauseMs`, one event every `pauseMs`, slowly enough for a watcher to see each step.
   */
  rollOut(request: Requested, outcome: 'succeeded' | 'rolled_back', pauseMs?: number): Promise<void>;
  close(): Promise<void>;
}

const FORWARD: { step: Step; detail?: string }[] = [
  { step: 'draining' },
  { step: 'drained' },
  { step: 'deploying' },
  { step: 'deployed' },
  { step: 'verifying', detail: 'smoke checkout: 14/14 passed' },
  { step: 'online' },
];

/**
 * Stands in for the orchestrator in other services' tests: it consumes the orchestrator's queue as
 * the orchestrator's broker user (recording the events in `record`), and publishes what the
 * orchestrator publishes as that user, so what it sends is accepted exactly as the real one's is.
 */
export async function startStandInOrchestrator(
  vhost: TestVhost,
  record: readonly EventType[] = ['deployment.requested'],
): Promise<StandInOrchestrator> {
  const connection = connectAmqp(vhost.urlFor('orchestrator'), { connectionName: 'stand-in-orchestrator' });
  await waitForConnection(connection, 10_000);
  const publisher = new ConfirmedPublisher(connection, { sharedTopology: 'check' });
  const received: EventEnvelope[] = [];
  const consumer = new EventConsumer(connection, {
    service: 'orchestrator',
    bindings: [...record],
    sharedTopology: 'check',
    publisher,
    logger: createLogger('stand-in-orchestrator', { level: 'warn' }),
    handle: (envelope) => {
      received.push(envelope);
      return Promise.resolve('handled' as const);
    },
  });
  await consumer.start();
  const bus = new ParticipantBus(vhost);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const of = <T extends EventType>(type: T) =>
    received.filter((envelope) => envelope.type === type) as unknown as EventEnvelope<T>[];

  return {
    received,
    of,
    requested: (environment) =>
      waitFor(
        `deployment.requested for ${environment}`,
        () => of('deployment.requested').find((e) => e.data.environment === environment)?.data,
      ),
    async rollOut(request, outcome, pauseMs = 0) {
      const { deploymentId, service, environment, version } = request;
      const servers = request.environmentSpec.servers?.map((s) => s.id) ?? ['discovered-1'];
      const options = { subject: deploymentId, correlationId: deploymentId, actor: 'service:orchestrator' };
      const emit = async <T extends EventType>(type: T, data: EventMap[T]) => {
        await bus.publish(type, data, options);
        if (pauseMs > 0) await sleep(pauseMs);
      };
      const batches = servers.map((server, index) => ({
        index,
        kind: index === 0 ? ('canary' as const) : ('regular' as const),
        servers: [server],
      }));
      await emit('deployment.started', {
        deploymentId,
        service,
        environment,
        version,
        plan: {
          batches,
          minHealthy: Math.max(0, servers.length - 1),
          totalServers: servers.length,
          estimatedSeconds: 120,
        },
      });
      for (const batch of batches) {
        await emit('deployment.batch.started', {
          deploymentId,
          batchIndex: batch.index,
          kind: batch.kind,
          servers: batch.servers,
        });
        const last = outcome === 'rolled_back' && batch.index === batches.length - 1;
        for (const { step, detail } of last ? FORWARD.slice(0, 5) : FORWARD) {
          for (const serverId of batch.servers) {
            await emit('deployment.server.progressed', {
              deploymentId,
              batchIndex: batch.index,
              serverId,
              step,
              ...(detail === undefined ? {} : { detail }),
            });
          }
        }
        if (last) {
          for (const serverId of batch.servers)
            await emit('deployment.server.progressed', {
              deploymentId,
              batchIndex: batch.index,
              serverId,
              step: 'rolling_back',
              detail: 'smoke checkout: 11/14 passed',
            });
          await emit('deployment.rolled_back', {
            deploymentId,
            service,
            environment,
            version,
            failedStep: 'verify',
            serverId: batch.servers[0],
            reason: 'smoke suite checkout failed',
            durationMs: 4_000,
          });
          return;
        }
        await emit('deployment.batch.completed', {
          deploymentId,
          batchIndex: batch.index,
          servers: batch.servers,
          durationMs: 1_000,
        });
      }
      await emit('deployment.succeeded', { deploymentId, service, environment, version, durationMs: 5_000 });
    },
    async close() {
      await consumer.stop();
      await bus.close();
      await publisher.close().catch(() => undefined);
      await connection.close();
    },
  };
}
