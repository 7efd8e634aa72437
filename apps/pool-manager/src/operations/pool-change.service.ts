import { errorMessage } from '@conveyor/errors';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import type { PoolConfig } from '../config/pools-config.schema';
import { findLiveServer, missingFromSnapshot } from '../domain/instance-snapshot';
import type { InstanceSnapshot, ServerIntent, StateCommand } from '../domain/pool-state.types';
import {
  intentsAfter,
  planCompensation,
  planStateChange,
  priorIntents,
  type StateChange,
} from '../domain/state-plan';
import { HaproxyFleet, InstanceFailure, type ObserveOptions } from '../haproxy/haproxy-fleet.service';
import { PoolStateLock } from '../persistence/pool-state-lock';
import { ServerIntentRepository } from '../persistence/server-intent.repository';
import { OperationFailure } from './operation-failure';

export interface PreparedChange {
  readonly snapshots: InstanceSnapshot[];
  readonly intents: ServerIntent[];
  /** What a failure puts back. */
  readonly prior: Map<string, ServerIntent>;
}

/**
 * Changes servers on every instance of a pool together: intent first, then the Runtime API
 * commands; when an instance fails, the others are put back and the failure names it.
 */
@Injectable()
export class PoolChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly fleet: HaproxyFleet,
    private readonly intents: ServerIntentRepository,
    private readonly stateLock: PoolStateLock,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  /** Reads every instance and checks the servers exist everywhere; changes nothing. */
  async prepare(
    pool: PoolConfig,
    servers: readonly string[],
    recordedPrior?: readonly ServerIntent[] | null,
    options: ObserveOptions = {},
  ): Promise<PreparedChange> {
    const snapshots = await this.observeAll(pool, options);
    for (const snapshot of snapshots) {
      const gap = missingFromSnapshot(snapshot, servers);
      if (gap) throw new OperationFailure(gap.reason, gap.detail, gap.instance);
    }
    const intents = await this.intents.forPool(this.dataSource.manager, pool.name);
    const first = snapshots[0];
    const prior = recordedPrior
      ? new Map(recordedPrior.map((intent) => [intent.server, intent]))
      : priorIntents(servers, intents, {
          online: (server) => findLiveServer(first, 'online', server)?.admin,
          maintenance: (server) => findLiveServer(first, 'maintenance', server)?.admin,
        });
    return { snapshots, intents, prior };
  }

  async observeAll(pool: PoolConfig, options: ObserveOptions = {}): Promise<InstanceSnapshot[]> {
    try {
      return await this.fleet.observeAll(pool, options);
    } catch (error) {
      throw asOperationFailure(error);
    }
  }

  /** Records the new intent and applies it on every instance; on failure restores and throws. */
  async change(
    pool: PoolConfig,
    servers: readonly string[],
    change: StateChange,
    prior: ReadonlyMap<string, ServerIntent>,
    operationId: string,
  ): Promise<void> {
    // A failure is returned, not thrown, out of the lock's transaction: the intent put back must commit.
    const failure = await this.stateLock.run(this.dataSource.manager, pool.name, async (manager) => {
      await this.intents.save(manager, pool.name, intentsAfter(servers, prior, change), operationId);
      const applied: StateCommand[] = [];
      for (const command of planStateChange(pool, servers, change)) {
        try {
          await this.fleet.apply(command);
          applied.push(command);
        } catch (error) {
          const failed = asOperationFailure(error);
          const note = await this.putBack(
            manager,
            pool,
            servers,
            prior,
            applied,
            failed.instance,
            operationId,
          );
          return new OperationFailure(failed.reason, `${failed.detail}; ${note}`, failed.instance);
        }
      }
      return undefined;
    });
    if (failure) throw failure;
  }

  /**
   * Puts the servers back to their prior state on every instance but `failedInstance`, and the
   * intent with them (the reconciler aligns the failed instance when it is reachable again).
   */
  async restore(
    pool: PoolConfig,
    servers: readonly string[],
    prior: ReadonlyMap<string, ServerIntent>,
    operationId: string,
    failedInstance?: string,
  ): Promise<string> {
    const everything = planStateChange(pool, servers, { online: 'ready', maintenance: 'ready' });
    return this.stateLock.run(this.dataSource.manager, pool.name, (manager) =>
      this.putBack(manager, pool, servers, prior, everything, failedInstance, operationId),
    );
  }

  async shutdownSessions(instance: string, backend: string, server: string): Promise<void> {
    try {
      await this.fleet.shutdownSessions(instance, backend, server);
    } catch (error) {
      throw asOperationFailure(error);
    }
  }

  private async putBack(
    manager: EntityManager,
    pool: PoolConfig,
    servers: readonly string[],
    prior: ReadonlyMap<string, ServerIntent>,
    touched: readonly StateCommand[],
    failedInstance: string | undefined,
    operationId: string,
  ): Promise<string> {
    await this.intents.save(
      manager,
      pool.name,
      servers.flatMap((server) => prior.get(server) ?? []),
      operationId,
    );
    const restored = new Set<string>();
    const problems: string[] = [];
    for (const command of planCompensation(touched, prior, failedInstance)) {
      try {
        await this.fleet.apply(command);
        restored.add(command.instance);
      } catch (error) {
        problems.push(errorMessage(error));
      }
    }
    if (problems.length > 0)
      this.logger.warn(
        { pool: pool.name, problems },
        'could not put every instance back; the reconciler retries',
      );
    const others = pool.instances.filter((instance) => instance !== failedInstance);
    const summary =
      restored.size > 0
        ? `put back on ${[...restored].join(', ')}`
        : `nothing to put back on ${others.join(', ') || 'other instances'}`;
    return problems.length > 0 ? `${summary}; not put back yet: ${problems.join('; ')}` : summary;
  }
}

export function asOperationFailure(error: unknown): OperationFailure {
  if (error instanceof OperationFailure) return error;
  if (error instanceof InstanceFailure)
    return new OperationFailure(error.reason, error.message, error.instance);
  throw error;
}
