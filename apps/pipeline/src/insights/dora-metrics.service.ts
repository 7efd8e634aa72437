import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { environmentOrder } from '@conveyor/contracts';
import { ManifestsRepository } from '../catalogue/manifests.repository';
import { DeploymentsRepository } from '../deployments/deployments.repository';
import { computeDora, type DoraFigures, type ProductionDeployment } from './dora.calculator';
import {
  doraChangeFailureRate,
  doraDeploymentFrequency,
  doraLeadTime,
  doraTimeToRestore,
} from './dora.metrics';

export const METRICS_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ServiceDora extends DoraFigures {
  service: string;
  /** The production environment: the last of the service's promotion order, unless asked otherwise. */
  environment: string;
}

/** DORA figures from the read model; the gauges are refreshed at start and after every finished deployment. */
@Injectable()
export class DoraMetricsService implements OnApplicationBootstrap {
  constructor(
    private readonly manifests: ManifestsRepository,
    private readonly deployments: DeploymentsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const manifest of await this.manifests.latestOfEach()) await this.refresh(manifest.service);
  }

  async figures(
    service: string,
    days: number,
    environment?: string,
    manager?: EntityManager,
  ): Promise<ServiceDora | null> {
    const manifest = await this.manifests.latest(service, manager);
    if (!manifest) return null;
    const production = environment ?? environmentOrder(manifest.manifest).at(-1) ?? '';
    const now = new Date();
    const rows = await this.deployments.finishedIn(
      service,
      production,
      new Date(now.getTime() - days * DAY_MS),
      manager,
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
    const services = await this.manifests.latestOfEach();
    const figures = await Promise.all(services.map((m) => this.figures(m.service, days)));
    return figures.filter((f): f is ServiceDora => f !== null);
  }

  async refresh(service: string, manager?: EntityManager): Promise<void> {
    const figures = await this.figures(service, METRICS_WINDOW_DAYS, undefined, manager);
    if (!figures) return;
    doraDeploymentFrequency.set({ service }, figures.deploymentFrequencyPerDay);
    setOrRemove(doraLeadTime, service, figures.leadTimeSeconds);
    setOrRemove(doraChangeFailureRate, service, figures.changeFailureRate);
    setOrRemove(doraTimeToRestore, service, figures.timeToRestoreSeconds);
  }
}

function setOrRemove(metric: typeof doraLeadTime, service: string, value: number | null): void {
  if (value === null) metric.remove({ service });
  else metric.set({ service }, value);
}
