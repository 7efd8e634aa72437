import { errorMessage } from '@conveyor/errors';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PoolDriftCorrected, PoolDriftDetected } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import type { PoolConfig } from '../config/pools-config.schema';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from '../config/pool-manager-env';
import { detectDrift, driftKey, type Drift } from '../domain/drift';
import type { InstanceSnapshot } from '../domain/pool-state.types';
import { countServerStates } from '../domain/server-state-counts';
import { HaproxyFleet } from '../haproxy/haproxy-fleet.service';
import { PoolManagerMetrics } from '../metrics/pool-manager-metrics';
import { PoolStateLock } from '../persistence/pool-state-lock';
import { ServerIntentRepository } from '../persistence/server-intent.repository';

/**
 * Every few seconds (and at once when an instance answers again) compares the intended state
 * with every instance and puts drifted servers back: a reload that made a maintenance server
 * UP again is undone, exposed servers first. Reports `pool.drift.detected` / `.corrected`.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private current?: Promise<void>;
  /** Drifts reported but not corrected yet: reported once, not at every pass. */
  private readonly reported = new Map<string, number>();
  private readonly unreachable = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly fleet: HaproxyFleet,
    private readonly intents: ServerIntentRepository,
    private readonly stateLock: PoolStateLock,
    private readonly bus: TransactionalBus,
    private readonly metrics: PoolManagerMetrics,
    @Inject(POOL_MANAGER_SETTINGS) private readonly settings: PoolManagerSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /** One pass over every pool (also what the timer runs). */
  async reconcileAll(): Promise<void> {
    for (const pool of this.settings.pools.pools) {
      if (this.stopped) return;
      try {
        await this.stateLock.run(this.dataSource.manager, pool.name, (manager) =>
          this.reconcilePool(manager, pool),
        );
      } catch (error) {
        this.logger.warn({ pool: pool.name, err: errorMessage(error) }, 'reconciliation failed');
      }
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.reconcileAll().finally(() => this.schedule(this.settings.reconcileIntervalMs));
    }, delayMs);
  }

  private async reconcilePool(manager: EntityManager, pool: PoolConfig): Promise<void> {
    const intents = await this.intents.forPool(manager, pool.name);
    const snapshots: InstanceSnapshot[] = [];
    for (const instance of pool.instances) {
      try {
        snapshots.push(await this.fleet.observe(pool, instance));
        if (this.unreachable.delete(instance))
          this.logger.info({ instance }, 'HAProxy instance reachable again: reconciling');
      } catch (error) {
        if (!this.unreachable.has(instance)) {
          this.unreachable.add(instance);
          this.logger.warn({ instance, err: errorMessage(error) }, 'HAProxy instance unreachable');
        }
      }
    }
    for (const snapshot of snapshots) {
      for (const drift of detectDrift(intents, snapshot)) await this.correct(pool, drift);
    }
    this.metrics.recordServerStates(pool.name, countServerStates(snapshots));
  }

  private async correct(pool: PoolConfig, drift: Drift): Promise<void> {
    const key = driftKey(drift);
    const detectedAt = this.reported.get(key) ?? Date.now();
    const detected: PoolDriftDetected = {
      pool: pool.name,
      instance: drift.instance,
      backend: drift.backend,
      server: drift.server,
      intended: drift.intended,
      observed: drift.observed,
    };
    const firstReport = !this.reported.has(key);
    try {
      await this.fleet.apply({
        instance: drift.instance,
        role: drift.role,
        backend: drift.backend,
        server: drift.server,
        state: drift.intended,
      });
    } catch (error) {
      if (firstReport) {
        this.reported.set(key, detectedAt);
        await this.bus.transaction(async (unit) => void unit.emit('pool.drift.detected', detected));
        this.metrics.recordDrift(1);
      }
      this.logger.warn({ ...detected, err: errorMessage(error) }, 'drift not corrected yet');
      return;
    }
    const { observed: _observed, ...where } = detected;
    const corrected: PoolDriftCorrected = { ...where, correctedInMs: Date.now() - detectedAt };
    await this.bus.transaction(async (unit) => {
      if (firstReport) unit.emit('pool.drift.detected', detected);
      unit.emit('pool.drift.corrected', corrected);
    });
    if (firstReport) this.metrics.recordDrift(1);
    this.reported.delete(key);
    this.logger.warn({ ...detected, correctedInMs: corrected.correctedInMs }, 'drift corrected');
  }
}
