import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { PoolDrainRequested, PoolServerDrained } from '@conveyor/contracts';
import type { PoolConfig } from '../config/pools-config.schema';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from '../config/pool-manager-env';
import { findLiveServer } from '../domain/instance-snapshot';
import { checkDrainCapacity } from '../domain/online-capacity';
import type { InstanceSnapshot, ServerIntent } from '../domain/pool-state.types';
import { OperationFailure } from './operation-failure';
import { PoolChangeService } from './pool-change.service';

export interface OperationRun<T> {
  readonly data: T;
  /** Intents recorded by an earlier, interrupted run of the same operation. */
  readonly recordedPrior: readonly ServerIntent[] | null;
  /** Persists the prior intents before the first change. */
  readonly onStart: (prior: readonly ServerIntent[]) => Promise<void>;
  readonly signal: AbortSignal;
}

type DrainedServer = PoolServerDrained['servers'][number];

/**
 * Drain: capacity floor on live state, `drain` in the online backend everywhere, wait for the
 * sessions to reach zero on every HAProxy process of every instance — old workers finishing after a
 * reload included, read through the master CLI where configured — (or the timeout policy), then
 * `maint` online and `ready` in maintenance.
 */
@Injectable()
export class DrainOperationService {
  constructor(
    private readonly change: PoolChangeService,
    @Inject(POOL_MANAGER_SETTINGS) private readonly settings: PoolManagerSettings,
  ) {}

  async run(
    pool: PoolConfig,
    run: OperationRun<PoolDrainRequested>,
  ): Promise<Omit<PoolServerDrained, 'operationId' | 'deploymentId'>> {
    const { data, signal } = run;
    const startedAt = Date.now();
    const { snapshots, intents, prior } = await this.change.prepare(pool, data.servers, run.recordedPrior, {
      everyProcess: true,
    });
    const { decision, onlineIds } = checkDrainCapacity(snapshots, intents, data.servers, data.minHealthy);
    if (!decision.allowed) {
      throw new OperationFailure(
        'capacity_floor',
        `${decision.reason} (UP and ready now: ${onlineIds.join(', ') || 'none'})`,
      );
    }
    await run.onStart([...prior.values()]);

    const sessionsAtStart = sessionsPerServer(snapshots, data.servers);
    await this.change.change(pool, data.servers, { online: 'drain' }, prior, data.operationId);
    const drainedAt = Date.now();
    const waited = await this.waitForZeroSessions(pool, data, prior, drainedAt, signal);

    await this.change.change(
      pool,
      data.servers,
      { online: 'maint', maintenance: 'ready' },
      prior,
      data.operationId,
    );
    const servers: DrainedServer[] = data.servers.map((server) => ({
      server,
      sessionsAtStart: sessionsAtStart.get(server) ?? 0,
      waitedMs: waited.get(server)?.waitedMs ?? 0,
      sessionsShutDown: waited.get(server)?.shutDown ?? 0,
    }));
    return { pool: pool.name, servers, durationMs: Date.now() - startedAt };
  }

  private async waitForZeroSessions(
    pool: PoolConfig,
    data: PoolDrainRequested,
    prior: ReadonlyMap<string, ServerIntent>,
    drainedAt: number,
    signal: AbortSignal,
  ): Promise<Map<string, { waitedMs: number; shutDown: number }>> {
    const deadline = drainedAt + data.drainTimeoutMs;
    const done = new Map<string, { waitedMs: number; shutDown: number }>();
    for (;;) {
      signal.throwIfAborted();
      let snapshots: InstanceSnapshot[];
      try {
        // Every HAProxy process counts: after a reload, old workers still serve the sessions they hold.
        snapshots = await this.change.observeAll(pool, { everyProcess: true });
      } catch (error) {
        if (!(error instanceof OperationFailure)) throw error;
        const note = await this.change.restore(pool, data.servers, prior, data.operationId, error.instance);
        throw new OperationFailure(error.reason, `${error.detail} while draining; ${note}`, error.instance);
      }
      const sessions = sessionsPerServer(snapshots, data.servers);
      for (const [server, count] of sessions) {
        if (count === 0 && !done.has(server))
          done.set(server, { waitedMs: Date.now() - drainedAt, shutDown: 0 });
      }
      const remaining = [...sessions].filter(([server]) => !done.has(server));
      if (remaining.length === 0) return done;
      if (Date.now() >= deadline) {
        await this.onTimeout(pool, data, prior, snapshots, remaining, done);
        return done;
      }
      await sleep(Math.min(this.settings.statePollMs, Math.max(1, deadline - Date.now())), undefined, {
        signal,
      });
    }
  }

  private async onTimeout(
    pool: PoolConfig,
    data: PoolDrainRequested,
    prior: ReadonlyMap<string, ServerIntent>,
    snapshots: readonly InstanceSnapshot[],
    remaining: readonly [string, number][],
    done: Map<string, { waitedMs: number; shutDown: number }>,
  ): Promise<void> {
    const described = remaining.map(([server, count]) => `${server} (${count})`).join(', ');
    if (data.onTimeout === 'fail') {
      const note = await this.change.restore(pool, data.servers, prior, data.operationId);
      throw new OperationFailure(
        'timeout',
        `sessions still open after ${data.drainTimeoutMs} ms on ${described}; ${note}`,
      );
    }
    for (const [server, count] of remaining) {
      for (const snapshot of snapshots) {
        if ((findLiveServer(snapshot, 'online', server)?.sessions ?? 0) === 0) continue;
        await this.change
          .shutdownSessions(snapshot.instance, pool.onlineBackend, server)
          .catch(async (error: unknown) => {
            if (!(error instanceof OperationFailure)) throw error;
            const note = await this.change.restore(
              pool,
              data.servers,
              prior,
              data.operationId,
              error.instance,
            );
            throw new OperationFailure(
              error.reason,
              `${error.detail} while shutting sessions down; ${note}`,
              error.instance,
            );
          });
      }
      done.set(server, { waitedMs: data.drainTimeoutMs, shutDown: count });
    }
  }
}

/** Current sessions of each server in the online backend, summed over the instances. */
function sessionsPerServer(
  snapshots: readonly InstanceSnapshot[],
  servers: readonly string[],
): Map<string, number> {
  return new Map(
    servers.map((server) => [
      server,
      snapshots.reduce(
        (total, snapshot) => total + (findLiveServer(snapshot, 'online', server)?.sessions ?? 0),
        0,
      ),
    ]),
  );
}
