import { Controller, type DynamicModule } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import type { EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent, TransactionalBus } from '@conveyor/messaging';
import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import { waitFor } from '@conveyor/testing';

type Requested = EventMap['deployment.requested'];
type Step = EventMap['deployment.server.progressed']['step'];

export interface StandInOrchestrator {
  service: RunningService;
  /** The deployment.requested of an environment, once the pipeline emitted it. */
  requested(environment: string): Promise<Requested>;
  /** Rolls a requested deployment out server by server, one event every `pauseMs`, to the given outcome. */
  rollOut(request: Requested, outcome: 'succeeded' | 'rolled_back', pauseMs: number): Promise<void>;
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
 * Stands in for the orchestrator in the CLI's tests: a real service on the real bus that
 * answers deployment.requested with the events the real one emits, slowly enough for
 * `conveyor deploy status --watch` to see each step.
 */
export async function startStandInOrchestrator(
  amqpUrl: string,
  databaseUrl: string,
): Promise<StandInOrchestrator> {
  const received: Requested[] = [];
  @Controller()
  class RequestRecorder {
    @OnEvent('deployment.requested')
    record(@Ctx() context: EventContext) {
      received.push(context.envelope.data as Requested);
    }
  }
  class StandInModule {}
  const service = await startService(
    {
      // It plays the orchestrator on the bus: its queue, its broker user, its events.
      name: 'orchestrator',
      schema: 'stand_in_orchestrator',
      defaultPort: 0,
      module: (kit: DynamicModule): DynamicModule => ({
        module: StandInModule,
        imports: [kit],
        controllers: [RequestRecorder],
      }),
    },
    testServiceEnv(amqpUrl, databaseUrl),
  );
  const bus = service.app.get(TransactionalBus);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  return {
    service,
    requested: (environment) =>
      waitFor(`deployment.requested for ${environment}`, () =>
        received.find((r) => r.environment === environment),
      ),
    async rollOut(request, outcome, pauseMs) {
      const { deploymentId, service: name, environment, version } = request;
      const servers = request.environmentSpec.servers?.map((s) => s.id) ?? [];
      const options = { subject: deploymentId, correlationId: deploymentId, actor: 'service:orchestrator' };
      const emit = async <T extends keyof EventMap>(type: T, data: EventMap[T]) => {
        await bus.transaction(async (unit) => {
          unit.emit(type, data, options);
        });
        await pause(pauseMs);
      };
      const batches = servers.map((server, index) => ({
        index,
        kind: index === 0 ? ('canary' as const) : ('regular' as const),
        servers: [server],
      }));
      await emit('deployment.started', {
        deploymentId,
        service: name,
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
            service: name,
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
      await emit('deployment.succeeded', {
        deploymentId,
        service: name,
        environment,
        version,
        durationMs: 5_000,
      });
    },
    close: () => service.close(),
  };
}
