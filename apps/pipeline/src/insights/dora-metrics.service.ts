import { errorMessage } from '@conveyor/errors';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { environmentOrder } from '@conveyor/contracts';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { ManifestsRepository } from '../catalogue/manifests.repository';
import { DeploymentsRepository } from '../deployments/deployments.repository';
import { computeDora, type DoraFigures, type ProductionDeployment } from './dora.calculator';
import { setDoraSource, type DoraGaugeValues } from './dora.metrics';

export const METRICS_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ServiceDora extends DoraFigures {
  service: string;
  /** The production environment: the last of the service's promotion order, unless asked otherwise. */
  environment: string;
}

/**
 * DORA figures from the read model. The `conveyor_dora_*` gauges are computed from the database at
 * scrape time, so every replica reports the same values whichever handled the events.
 */
@Injectable()
export class DoraMetricsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly source = () => this.gaugeValues();
  private lastGood: readonly DoraGaugeValues[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly manifests: ManifestsRepository,
    private readonly deployments: DeploymentsRepository,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    setDoraSource(this.source);
  }

  onModuleDestroy(): void {
    setDoraSource(undefined);
  }

  async figures(service: string, days: number, environment?: string): Promise<ServiceDora | null> {
    const manager = this.dataSource.manager;
    const manifest = await this.manifests.latest(manager, service);
    if (!manifest) return null;
    const production = environment ?? environmentOrder(manifest.manifest).at(-1) ?? '';
    const now = new Date();
    const rows = await this.deployments.finishedIn(
      manager,
      service,
      production,
      new Date(now.getTime() - days * DAY_MS),
    );
    const finished: ProductionDeployment[] = rows.flatMap((row) =>
      row.finishedAt &&
      (row.status === 'succeeded' || row.status === 'failed' || row.status === 'rolled_back')
        ? [{ status: row.status, finishedAt: row.finishedAt, committedAt: row.committedAt }]
        : [],
    );
    return { service, environment: production, ...computeDora(finished, now, days) };
  }

  async all(days: number): Promise<ServiceDora[]> {
    const services = await this.manifests.latestOfEach(this.dataSource.manager);
    const figures = await Promise.all(services.map((m) => this.figures(m.service, days)));
    return figures.filter((f): f is ServiceDora => f !== null);
  }

  /** The gauges' values over METRICS_WINDOW_DAYS; while the database cannot answer, the last ones read. */
  async gaugeValues(): Promise<readonly DoraGaugeValues[]> {
    try {
      this.lastGood = await this.all(METRICS_WINDOW_DAYS);
    } catch (error) {
      this.logger.warn(
        { err: errorMessage(error) },
        'cannot read the DORA figures; the metrics keep the last ones read',
      );
    }
    return this.lastGood;
  }
}
