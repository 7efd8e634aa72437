import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@conveyor/messaging';
import type { PromotionEntity } from '../database/promotion.entity';
import { DeploymentsRepository } from '../deployments/deployments.repository';
import { reduceDeploymentView } from '../deployments/deployment-view.reducer';
import { RunsRepository } from '../runs/runs.repository';
import type { PromotionBinding } from './promotion-binding.service';
import { PromotionsRepository } from './promotions.repository';

/** Emits `deployment.requested` for a promotion whose rule is met, and starts its read model. */
@Injectable()
export class DeploymentRequesterService {
  constructor(
    private readonly deployments: DeploymentsRepository,
    private readonly promotions: PromotionsRepository,
    private readonly runs: RunsRepository,
  ) {}

  async request(
    unit: UnitOfWork,
    promotion: PromotionEntity,
    binding: PromotionBinding,
    approvedBy: string[],
    actor: string,
  ): Promise<string> {
    const deploymentId = randomUUID();
    const { artifact } = binding;
    const envelope = unit.emit(
      'deployment.requested',
      {
        deploymentId,
        service: promotion.service,
        environment: promotion.toEnvironment,
        version: promotion.version,
        artifact: {
          service: artifact.service,
          version: artifact.version,
          url: artifact.url,
          sha256: artifact.sha256,
          ...(artifact.size === null ? {} : { size: artifact.size }),
        },
        manifestVersion: binding.manifestVersion,
        environmentSpec: binding.spec,
        promotionId: promotion.id,
        requestedBy: promotion.requestedBy,
        approvedBy,
      },
      { actor, subject: deploymentId, correlationId: deploymentId },
    );
    const run = await this.runs.findRun(artifact.runId, unit.manager);
    const view = reduceDeploymentView(null, envelope);
    await this.deployments.save(unit.manager, {
      id: deploymentId,
      service: promotion.service,
      environment: promotion.toEnvironment,
      version: promotion.version,
      status: view.status,
      manifestVersion: binding.manifestVersion,
      promotionId: promotion.id,
      committedAt: run ? (run.committedAt ?? run.createdAt) : null,
      finishedAt: null,
      view,
      updatedAt: new Date(),
    });
    promotion.status = 'deploying';
    promotion.deploymentId = deploymentId;
    promotion.updatedAt = new Date();
    await this.promotions.save(unit.manager, promotion);
    return deploymentId;
  }
}
