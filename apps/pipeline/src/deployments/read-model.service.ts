import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@conveyor/messaging';
import { PromotionsRepository } from '../promotions/promotions.repository';
import { isTerminal } from './deployment-view';
import { reduceDeploymentView, type DeploymentViewEvent } from './deployment-view.reducer';
import { DeploymentsRepository } from './deployments.repository';

/** Applies one deployment event to the read model and the promotion it came from (the DORA gauges read it at scrape time). */
@Injectable()
export class ReadModelService {
  constructor(
    private readonly deployments: DeploymentsRepository,
    private readonly promotions: PromotionsRepository,
  ) {}

  async apply(unit: UnitOfWork, event: DeploymentViewEvent): Promise<void> {
    const id = event.data.deploymentId;
    const row = await this.deployments.findForUpdate(unit.manager, id);
    const wasTerminal = row ? isTerminal(row.status) : false;
    const view = reduceDeploymentView(row?.view ?? null, event);
    await this.deployments.save(unit.manager, {
      id,
      service: view.service,
      environment: view.environment,
      version: view.version,
      status: view.status,
      manifestVersion: view.manifestVersion,
      artifactSha256: view.artifactSha256 ?? row?.artifactSha256 ?? null,
      promotionId: view.promotionId,
      committedAt: row?.committedAt ?? null,
      finishedAt: view.finishedAt ? new Date(view.finishedAt) : null,
      view,
      updatedAt: new Date(),
    });
    if (wasTerminal || !isTerminal(view.status)) return;
    const promotion = await this.promotions.byDeployment(unit.manager, id);
    if (promotion) {
      promotion.status = view.status === 'succeeded' ? 'succeeded' : 'failed';
      promotion.updatedAt = new Date();
      await this.promotions.save(unit.manager, promotion);
    }
  }
}
