import { Inject, Injectable } from '@nestjs/common';
import type { PoolDrainRequested, PoolEnableRequested, PoolOperationFailed } from '@conveyor/contracts';
import type { EventContext } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from '../config/pool-manager-env';
import { PoolManagerMetrics } from '../metrics/pool-manager-metrics';
import type { OperationRequest } from '../persistence/pool-operation.entity';
import { PoolOperationRepository } from '../persistence/pool-operation.repository';
import { outcomeOf } from './operation-failure';

/** What can be refused from the request alone, before any HAProxy is asked. */
export function refuseAtOnce(
  request: OperationRequest,
  configuredPools: readonly string[],
): Pick<PoolOperationFailed, 'reason' | 'detail'> | undefined {
  const { data } = request;
  if (!configuredPools.includes(data.pool)) {
    return {
      reason: 'unknown_pool',
      detail: `pool "${data.pool}" is not configured (known: ${configuredPools.join(', ')})`,
    };
  }
  const duplicates = data.servers.filter((server, index) => data.servers.indexOf(server) !== index);
  if (duplicates.length > 0) {
    return {
      reason: 'invalid_request',
      detail: `servers listed more than once: ${[...new Set(duplicates)].join(', ')}`,
    };
  }
  return undefined;
}

/**
 * Takes a drain or enable request inside the inbox transaction: refuses what is wrong on its
 * face, records the rest once per operationId for the worker, and returns at once.
 */
@Injectable()
export class PoolRequestService {
  constructor(
    private readonly operations: PoolOperationRepository,
    private readonly metrics: PoolManagerMetrics,
    @Inject(POOL_MANAGER_SETTINGS) private readonly settings: PoolManagerSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  drainRequested(data: PoolDrainRequested, ctx: EventContext): Promise<void> {
    return this.accept({ kind: 'drain', data }, ctx);
  }

  enableRequested(data: PoolEnableRequested, ctx: EventContext): Promise<void> {
    return this.accept({ kind: 'enable', data }, ctx);
  }

  private async accept(request: OperationRequest, ctx: EventContext): Promise<void> {
    const { data, kind } = request;
    const { envelope } = ctx;
    const refusal = refuseAtOnce(
      request,
      this.settings.pools.pools.map((pool) => pool.name),
    );
    if (refusal) {
      ctx.emit(
        'pool.operation.failed',
        {
          operationId: data.operationId,
          ...(data.deploymentId ? { deploymentId: data.deploymentId } : {}),
          pool: data.pool,
          operation: kind,
          ...refusal,
        },
        { subject: envelope.subject },
      );
      this.metrics.recordOperation(kind, outcomeOf(refusal.reason));
      this.logger.warn({ operationId: data.operationId, ...refusal }, `pool ${kind} refused`);
      return;
    }
    const recorded = await this.operations.record(ctx.unit.manager, {
      request,
      correlationId: envelope.correlationid,
      causationId: envelope.id,
      actor: envelope.actor,
      subject: envelope.subject,
    });
    if (!recorded) {
      this.logger.info(
        { operationId: data.operationId, eventId: envelope.id },
        `pool ${kind} ${data.operationId} already known: nothing to do again`,
      );
    }
  }
}
