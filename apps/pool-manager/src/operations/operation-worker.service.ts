import { errorMessage } from '@conveyor/errors';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventMap, PoolOperationFailed } from '@conveyor/contracts';
import { DataSource } from 'typeorm';
import { TransactionalBus } from '@conveyor/messaging';
import { runWithCorrelation, type Logger } from '@conveyor/observability';
import { LeasedJobLoop, SERVICE_LOGGER } from '@conveyor/service-kit';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from '../config/pool-manager-env';
import type { ServerIntent } from '../domain/pool-state.types';
import { PoolManagerMetrics } from '../metrics/pool-manager-metrics';
import type { PoolOperationEntity } from '../persistence/pool-operation.entity';
import { LeaseLost, PoolOperationRepository } from '../persistence/pool-operation.repository';
import { DrainOperationService } from './drain-operation.service';
import { EnableOperationService } from './enable-operation.service';
import { OperationFailure, outcomeOf } from './operation-failure';

/**
 * Carries out recorded operations outside the inbox transaction, on any number of replicas: each
 * operation is claimed in the database under a lease (`LeasedJobLoop`), one at a time per pool in
 * arrival order across every replica (only a pool's oldest unfinished operation can be claimed).
 * The lease is renewed while it runs; a replica that loses it stops, and only the holder records
 * the outcome with its event. A crashed replica's operation is taken over when its lease expires
 * (every step is idempotent, and the prior state was recorded before the first).
 */
@Injectable()
export class OperationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  /** This replica's name in leases: unique per start, so two replicas (or two apps in a test) never share one. */
  readonly owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly loop: LeasedJobLoop<PoolOperationEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly operations: PoolOperationRepository,
    private readonly drain: DrainOperationService,
    private readonly enable: EnableOperationService,
    private readonly bus: TransactionalBus,
    private readonly metrics: PoolManagerMetrics,
    @Inject(POOL_MANAGER_SETTINGS) private readonly settings: PoolManagerSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    const leaseMs = settings.operationLeaseMs;
    this.loop = new LeasedJobLoop({
      kind: 'pool operation',
      serviceName: 'the pool manager',
      pollMs: settings.operationPollMs,
      // At most one per pool runs anyway (see the claim).
      maxActive: Math.max(1, settings.pools.pools.length),
      leaseMs,
      logger,
      claim: (limit) => this.operations.claim(this.dataSource.manager, this.owner, limit, leaseMs),
      idOf: (operation) => operation.operationId,
      renew: (operationId) =>
        this.operations.renew(this.dataSource.manager, operationId, this.owner, leaseMs),
      release: (operationId) => this.operations.release(this.dataSource.manager, operationId, this.owner),
      run: (operation, stop) => this.execute(operation, stop),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  private execute(operation: PoolOperationEntity, stop: AbortSignal): Promise<void> {
    const context = {
      correlationId: operation.correlationId,
      causationId: operation.causationId,
      actor: operation.actor,
    };
    return runWithCorrelation(context, async () => {
      if (stop.aborted) return;
      try {
        await this.carryOut(operation, stop);
      } catch (error) {
        if (stop.aborted || error instanceof LeaseLost) {
          this.logger.info(
            { operationId: operation.operationId, reason: errorText(stop.aborted ? stop.reason : error) },
            'pool operation stopped here; its lease holder carries it on',
          );
          return;
        }
        throw error;
      }
    });
  }

  private async carryOut(operation: PoolOperationEntity, signal: AbortSignal): Promise<void> {
    const { request, operationId } = operation;
    const pool = this.settings.pools.pools.find((candidate) => candidate.name === operation.pool);
    const common = {
      recordedPrior: operation.prior,
      onStart: (prior: readonly ServerIntent[]) =>
        this.operations.markRunning(this.dataSource.manager, operationId, prior, this.owner),
      signal,
    };
    const ids = {
      operationId,
      ...(request.data.deploymentId ? { deploymentId: request.data.deploymentId } : {}),
    };
    try {
      if (!pool) throw new OperationFailure('unknown_pool', `pool "${operation.pool}" is not configured`);
      if (request.kind === 'drain') {
        const drained = await this.drain.run(pool, { ...common, data: request.data });
        await this.succeed(operation, 'pool.server.drained', { ...ids, ...drained });
        this.metrics.recordDrain(drained.durationMs / 1000);
      } else {
        const enabled = await this.enable.run(pool, { ...common, data: request.data });
        await this.succeed(operation, 'pool.server.enabled', { ...ids, ...enabled });
      }
    } catch (error) {
      if (!(error instanceof OperationFailure) || signal.aborted) throw error;
      const failed: PoolOperationFailed = {
        ...ids,
        pool: operation.pool,
        operation: request.kind,
        reason: error.reason,
        detail: error.detail,
        ...(error.instance ? { instance: error.instance } : {}),
      };
      await this.bus.transaction(async (unit) => {
        await this.operations.finish(unit.manager, operationId, 'failed', failed, this.owner);
        unit.emit('pool.operation.failed', failed, { subject: operation.subject });
      });
      this.metrics.recordOperation(request.kind, outcomeOf(error.reason));
      this.logger.warn(
        { operationId, reason: error.reason, instance: error.instance, detail: error.detail },
        `pool ${request.kind} failed`,
      );
    }
  }

  private async succeed<T extends 'pool.server.drained' | 'pool.server.enabled'>(
    operation: PoolOperationEntity,
    type: T,
    data: EventMap[T],
  ): Promise<void> {
    await this.bus.transaction(async (unit) => {
      await this.operations.finish(unit.manager, operation.operationId, 'succeeded', data, this.owner);
      unit.emit(type, data, { subject: operation.subject });
    });
    this.metrics.recordOperation(operation.kind, 'succeeded');
    this.logger.info(
      { operationId: operation.operationId, pool: operation.pool, servers: operation.request.data.servers },
      `pool ${operation.kind} done`,
    );
  }
}

function errorText(error: unknown): string {
  return errorMessage(error);
}
