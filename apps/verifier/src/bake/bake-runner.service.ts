import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { verificationBakeRequestedEvent, type VerificationBakeRequested } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { runWithCorrelation, type Logger } from '@conveyor/observability';
import { remainingMs } from '../checks/deadline';
import { evaluateHealthAnswer } from '../checks/health-answer.evaluator';
import { askOnce } from '../checks/http-probe';
import { sleepUnlessStopped } from '../checks/sleep-unless-stopped';
import { LeasedJobLoop, SERVICE_LOGGER } from '@conveyor/service-kit';
import type { BakeEntity } from '../persistence/bake.entity';
import { BakeRepository } from '../persistence/bake.repository';
import { VerificationRepository } from '../persistence/verification.repository';
import { VERIFIER_SETTINGS, type VerifierSettings } from '../config/verifier-env';
import { VerifierMetrics } from '../metrics/verifier-metrics';
import { degradationDetail, recordProbeRound, type BakeState, type ProbeResult } from './bake-tracker';

type BakeEnd =
  | { outcome: 'healthy'; detail: string }
  | { outcome: 'degraded'; detail: string; servers: string[] }
  | { outcome: 'cancelled'; detail: string };

/**
 * Watches the online servers of a completed deployment during its bake window: one probe
 * per server every interval; `health.degraded` (and the bake's end) as soon as a server fails
 * `failureThreshold` probes in a row. After a restart the window goes on until its end time.
 */
@Injectable()
export class BakeRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: LeasedJobLoop<BakeEntity>;
  private readonly owner = `verifier-bake-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: TransactionalBus,
    private readonly bakes: BakeRepository,
    private readonly verifications: VerificationRepository,
    @Inject(VERIFIER_SETTINGS) settings: VerifierSettings,
    private readonly metrics: VerifierMetrics,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    const { leaseMs } = settings;
    this.loop = new LeasedJobLoop({
      serviceName: 'the verifier',
      kind: 'bake',
      pollMs: settings.pollMs,
      maxActive: settings.maxActive,
      leaseMs,
      logger,
      claim: (limit) => this.dataSource.transaction((m) => this.bakes.claim(m, this.owner, limit, leaseMs)),
      idOf: (row) => row.bakeId,
      renew: (id) => this.bakes.renew(this.dataSource.manager, id, this.owner, leaseMs),
      release: (id) => this.bakes.release(this.dataSource.manager, id, this.owner),
      run: (row, stop) =>
        runWithCorrelation(
          { correlationId: row.correlationId, causationId: row.causationId, actor: 'service:verifier' },
          () => this.run(row, stop),
        ),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  private async run(row: BakeEntity, stop: AbortSignal): Promise<void> {
    const request = verificationBakeRequestedEvent.schema.parse(row.request);
    if (row.status === 'pending') await this.bakes.markRunning(this.dataSource.manager, row.bakeId);
    let state: BakeState = new Map();
    let probes = row.probes;
    const endsAt = row.endsAt.getTime();
    for (;;) {
      const aborted = await this.verifications.abortReason(this.dataSource.manager, request.deploymentId);
      if (aborted !== undefined) {
        return this.finish(row, request, probes, {
          outcome: 'cancelled',
          detail: `deployment ${request.deploymentId} was aborted: ${aborted}`,
        });
      }
      if (stop.aborted) return;
      if (remainingMs(endsAt, Date.now()) === 0) {
        return this.finish(row, request, probes, {
          outcome: 'healthy',
          detail: `${request.servers.length} server(s) stayed healthy for the bake window (${probes} probe rounds)`,
        });
      }
      const roundStarted = Date.now();
      const round = await this.probeRound(request, stop);
      if (stop.aborted) return;
      probes += 1;
      const folded = recordProbeRound(state, round, request.failureThreshold);
      state = folded.state;
      if (folded.degraded.length > 0) {
        const servers = folded.degraded.map((d) => d.serverId);
        return this.finish(row, request, probes, {
          outcome: 'degraded',
          detail: degradationDetail(folded.degraded),
          servers,
        });
      }
      const untilNext = roundStarted + request.intervalSeconds * 1000 - Date.now();
      await sleepUnlessStopped(Math.max(0, Math.min(untilNext, remainingMs(endsAt, Date.now()))), stop);
    }
  }

  private probeRound(request: VerificationBakeRequested, stop: AbortSignal): Promise<ProbeResult[]> {
    const { health } = request;
    return Promise.all(
      request.servers.map(async (server) => {
        const asked = await askOnce(
          `http://${server.address}${health.path}`,
          server.headers,
          health.requestTimeoutMs,
          stop,
        );
        if (!asked.ok) return { serverId: server.id, healthy: false, detail: asked.why };
        const judgement = evaluateHealthAnswer(health, request.expectedVersion, asked.answer);
        return { serverId: server.id, healthy: judgement.ok, detail: judgement.detail };
      }),
    );
  }

  private async finish(
    row: BakeEntity,
    request: VerificationBakeRequested,
    probes: number,
    end: BakeEnd,
  ): Promise<void> {
    const { bakeId, deploymentId } = request;
    const finished = await this.bus.transaction(async (unit) => {
      if (!(await this.bakes.lockIfHeld(unit.manager, row.bakeId, this.owner))) return false;
      await this.bakes.finish(unit.manager, bakeId, end.outcome, probes, end.detail);
      const options = { subject: deploymentId };
      if (end.outcome === 'degraded') {
        const { service, environment } = request;
        unit.emit(
          'health.degraded',
          { deploymentId, service, environment, servers: end.servers, detail: end.detail },
          options,
        );
      }
      unit.emit(
        'verification.bake.completed',
        { bakeId, deploymentId, outcome: end.outcome, probes, detail: end.detail },
        options,
      );
      return true;
    });
    if (!finished) return;
    this.metrics.bakeEnded(end.outcome);
    this.logger.info({ bakeId, deploymentId, outcome: end.outcome, detail: end.detail }, 'bake window ended');
  }
}
