import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventMap, PoolOperationFailed } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { runWithCorrelation, type Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import type { PoolManagerSettings } from '../config/pool-manager-env';
import { PoolLocks } from '../domain/pool-locks';
import type { ServerIntent } from '../domain/pool-state.types';
import { PoolMetrics } from '../metrics/pool-metrics.service';
import type { PoolOperationEntity } from '../persistence/pool-operation.entity';
import { PoolOperationRepository } from '../persistence/pool-operation.repository';
import { POOL_MANAGER_SETTINGS } from '../pool-manager.tokens';
import { DrainOperationService } from './drain-operation.service';
import { EnableOperationService } from './enable-operation.service';
import { OperationFailure, outcomeOf } from './operation-failure';

/**
 * Carries out recorded operations outside the inbox transaction: one at a time per pool, in
 * arrival order; the result and its event commit together. On start it resumes operations a
 * crash interrupted (every step is idempotent, and the prior state was recorded before the first).
 */
@Injectable()
export class OperationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly operations: PoolOperationRepository,
    private readonly drain: DrainOperationService,
    private readonly enable: EnableOperationService,
    private readonly bus: TransactionalBus,
    private readonly locks: PoolLocks,
    private readonly metrics: PoolMetrics,
    @Inject(POOL_MANAGER_SETTINGS) private readonly settings: PoolManagerSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    this.abort.abort(new Error('pool manager stopping; the operation resumes at the next start'));
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private schedule(delayMs: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    try {
      for (const operation of await this.operations.unfinished()) {
        if (this.inFlight.has(operation.operationId)) continue;
        const started = this.locks.operations
          .run(operation.pool, () => this.execute(operation))
          .finally(() => this.inFlight.delete(operation.operationId));
        this.inFlight.set(operation.operationId, started);
      }
    } catch (error) {
      if (!this.abort.signal.aborted)
        this.logger.warn({ err: errorText(error) }, 'cannot read pending pool operations');
    }
    this.schedule(this.settings.operationPollMs);
  }

  private execute(operation: PoolOperationEntity): Promise<void> {
    const context = {
      correlationId: operation.correlationId,
      causationId: operation.causationId,
      actor: operation.actor,
    };
    return runWithCorrelation(context, async () => {
      if (this.abort.signal.aborted) return;
      try {
        await this.carryOut(operation);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.logger.error(
          { operationId: operation.operationId, err: errorText(error) },
          'pool operation broke; retried at the next poll',
        );
      }
    });
  }

  private async carryOut(operation: PoolOperationEntity): Promise<void> {
    const { request, operationId } = operation;
    const pool = this.settings.pools.pools.find((candidate) => candidate.name === operation.pool);
    const common = {
      recordedPrior: operation.prior,
      onStart: (prior: readonly ServerIntent[]) => this.operations.markRunning(operationId, prior),
      signal: this.abort.signal,
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
      if (!(error instanceof OperationFailure) || this.abort.signal.aborted) throw error;
      const failed: PoolOperationFailed = {
        ...ids,
        pool: operation.pool,
        operation: request.kind,
        reason: error.reason,
        detail: error.detail,
        ...(error.instance ? { instance: error.instance } : {}),
      };
      await this.bus.transaction(async (unit) => {
        await this.operations.finish(operationId, 'failed', failed, unit.manager);
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
      await this.operations.finish(operation.operationId, 'succeeded', data, unit.manager);
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
  return error instanceof Error ? error.message : String(error);
}
