import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { PoolEnableRequested, PoolServerEnabled } from '@conveyor/contracts';
import type { PoolConfig } from '../config/pools-config.schema';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from '../config/pool-manager-env';
import { findLiveServer } from '../domain/instance-snapshot';
import type { BackendRole, InstanceSnapshot, LiveServer } from '../domain/pool-state.types';
import type { OperationRun } from './drain-operation.service';
import { OperationFailure } from './operation-failure';
import { PoolChangeService } from './pool-change.service';

type Unhealthy = { instance: string; server: string; status: string };

/**
 * Enable: make sure HAProxy's health check passes where it runs (the maintenance backend),
 * `ready` in the online backend everywhere, wait until the online health check reports UP,
 * then `maint` in the maintenance backend. A timeout leaves the servers out.
 */
@Injectable()
export class EnableOperationService {
  constructor(
    private readonly change: PoolChangeService,
    @Inject(POOL_MANAGER_SETTINGS) private readonly settings: PoolManagerSettings,
  ) {}

  async run(
    pool: PoolConfig,
    run: OperationRun<PoolEnableRequested>,
  ): Promise<Omit<PoolServerEnabled, 'operationId' | 'deploymentId'>> {
    const { data, signal } = run;
    const startedAt = Date.now();
    const deadline = startedAt + data.healthTimeoutMs;
    const { prior } = await this.change.prepare(pool, data.servers, run.recordedPrior);
    await run.onStart([...prior.values()]);

    // A server checked in the maintenance backend must pass there before customers can reach it.
    const notYetHealthy = await this.waitUntilHealthy(
      pool,
      data.servers,
      'maintenance',
      deadline,
      signal,
      (live) => live.admin === 'ready',
    );
    if (notYetHealthy.length > 0) {
      throw new OperationFailure(
        'timeout',
        `not healthy within ${data.healthTimeoutMs} ms: ${describe(notYetHealthy, pool.maintenanceBackend)}; left out, nothing changed`,
      );
    }
    await this.change.change(pool, data.servers, { online: 'ready' }, prior, data.operationId);
    let unhealthy: Unhealthy[];
    try {
      unhealthy = await this.waitUntilHealthy(pool, data.servers, 'online', deadline, signal, () => true);
    } catch (error) {
      if (!(error instanceof OperationFailure)) throw error;
      const note = await this.change.restore(pool, data.servers, prior, data.operationId, error.instance);
      throw new OperationFailure(error.reason, `${error.detail} while enabling; ${note}`, error.instance);
    }
    if (unhealthy.length > 0) {
      const note = await this.change.restore(pool, data.servers, prior, data.operationId);
      throw new OperationFailure(
        'timeout',
        `not UP within ${data.healthTimeoutMs} ms: ${describe(unhealthy, pool.onlineBackend)}; left out (${note})`,
      );
    }
    // The whole target state: an intent built from `prior` with only `maintenance` set would put the
    // online intent back to `maint`, and the reconciler would then take the servers out again.
    await this.change.change(
      pool,
      data.servers,
      { online: 'ready', maintenance: 'maint' },
      prior,
      data.operationId,
    );
    return { pool: pool.name, servers: data.servers, durationMs: Date.now() - startedAt };
  }

  /** Polls every instance until each server is UP (health-checked) in `role`; returns those that are not by the deadline. */
  private async waitUntilHealthy(
    pool: PoolConfig,
    servers: readonly string[],
    role: BackendRole,
    deadline: number,
    signal: AbortSignal,
    applies: (live: LiveServer) => boolean,
  ): Promise<Unhealthy[]> {
    for (;;) {
      signal.throwIfAborted();
      const snapshots = await this.change.observeAll(pool);
      const unhealthy = notHealthy(snapshots, servers, role, applies);
      if (unhealthy.length === 0 || Date.now() >= deadline) return unhealthy;
      await sleep(Math.min(this.settings.statePollMs, Math.max(1, deadline - Date.now())), undefined, {
        signal,
      });
    }
  }
}

function notHealthy(
  snapshots: readonly InstanceSnapshot[],
  servers: readonly string[],
  role: BackendRole,
  applies: (live: LiveServer) => boolean,
): Unhealthy[] {
  return snapshots.flatMap((snapshot) =>
    servers.flatMap((server) => {
      const live = findLiveServer(snapshot, role, server);
      if (!live || !applies(live) || live.healthyUp) return [];
      return [{ instance: snapshot.instance, server, status: live.statusText }];
    }),
  );
}

function describe(unhealthy: readonly Unhealthy[], backend: string): string {
  return unhealthy
    .map((entry) => `${entry.server} in ${backend} on ${entry.instance} is ${entry.status}`)
    .join(', ');
}
