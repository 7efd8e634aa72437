import { Controller, type DynamicModule } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import type { EventEnvelope, EventMap, EventType } from '@conveyor/contracts';
import { EventContext, OnEvent, TransactionalBus } from '@conveyor/messaging';
import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';

/** The events the fake records (everything the pipeline emits that a test looks at). */
const RECORDED = [
  'deployment.requested',
  'deployment.pause.requested',
  'deployment.abort.requested',
  'deployment.host.exclude.requested',
  'promotion.requested',
  'promotion.approved',
  'promotion.approvals.voided',
  'api.action.performed',
  'service.manifest.applied',
  'pipeline.run.created',
  'pipeline.stage.reported',
  'artifact.published',
] as const satisfies readonly EventType[];
type Recorded = (typeof RECORDED)[number];

export interface FakeOrchestrator {
  service: RunningService;
  received: EventEnvelope[];
  of<T extends Recorded>(type: T): EventEnvelope<T>[];
  /** Publishes deployment.started, one batch, and the outcome for a requested deployment, through the real bus. */
  finish(request: EventMap['deployment.requested'], outcome: 'succeeded' | 'rolled_back'): Promise<void>;
  close(): Promise<void>;
}

/**
 * Stands in for the orchestrator in the pipeline's end-to-end tests: a real service on the real
 * bus that records what the pipeline emits and answers deployments the way the orchestrator would.
 */
export async function startFakeOrchestrator(amqpUrl: string, databaseUrl: string): Promise<FakeOrchestrator> {
  const received: EventEnvelope[] = [];
  const record = (ctx: EventContext) => {
    received.push(ctx.envelope);
  };
  @Controller()
  class Recorder {
    @OnEvent('deployment.requested') a(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('deployment.pause.requested') b(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('deployment.abort.requested') c(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('deployment.host.exclude.requested') d(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('promotion.requested') e(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('promotion.approved') f(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('promotion.approvals.voided') g(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('api.action.performed') h(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('service.manifest.applied') i(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('pipeline.run.created') j(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('pipeline.stage.reported') k(@Ctx() c: EventContext) {
      record(c);
    }
    @OnEvent('artifact.published') l(@Ctx() c: EventContext) {
      record(c);
    }
  }
  class FakeOrchestratorModule {}
  const service = await startService(
    {
      // It plays the orchestrator on the bus: its queue, its broker user, its events.
      name: 'orchestrator',
      schema: 'fake_orchestrator',
      defaultPort: 0,
      module: (kit: DynamicModule): DynamicModule => ({
        module: FakeOrchestratorModule,
        imports: [kit],
        controllers: [Recorder],
      }),
    },
    testServiceEnv(amqpUrl, databaseUrl),
  );
  const bus = service.app.get(TransactionalBus);
  return {
    service,
    received,
    of: <T extends Recorded>(type: T) =>
      received.filter((e) => e.type === type) as unknown as EventEnvelope<T>[],
    async finish(request, outcome) {
      const { deploymentId, service: name, environment, version } = request;
      const servers = request.environmentSpec.servers?.map((s) => s.id) ?? ['discovered-1'];
      const options = { subject: deploymentId, correlationId: deploymentId, actor: 'service:orchestrator' };
      await bus.transaction(async (unit) => {
        unit.emit(
          'deployment.started',
          {
            deploymentId,
            service: name,
            environment,
            version,
            plan: {
              batches: [{ index: 0, kind: 'regular', servers }],
              minHealthy: 0,
              totalServers: servers.length,
              estimatedSeconds: 60,
            },
          },
          options,
        );
        unit.emit(
          'deployment.batch.started',
          { deploymentId, batchIndex: 0, kind: 'regular', servers },
          options,
        );
        for (const serverId of servers)
          unit.emit(
            'deployment.server.progressed',
            { deploymentId, batchIndex: 0, serverId, step: 'online' },
            options,
          );
      });
      await bus.transaction(async (unit) => {
        if (outcome === 'succeeded') {
          unit.emit(
            'deployment.batch.completed',
            { deploymentId, batchIndex: 0, servers, durationMs: 1200 },
            options,
          );
          unit.emit(
            'deployment.succeeded',
            { deploymentId, service: name, environment, version, durationMs: 1500 },
            options,
          );
        } else {
          unit.emit(
            'deployment.rolled_back',
            {
              deploymentId,
              service: name,
              environment,
              version,
              failedStep: 'verify',
              reason: 'smoke suite checkout failed',
              durationMs: 1500,
            },
            options,
          );
        }
      });
    },
    close: () => service.close(),
  };
}
export { RECORDED };
