import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DeploymentProof } from '@conveyor/contracts';
import type { UnitOfWork } from '@conveyor/messaging';
import type { ApprovalEntity } from '../persistence/approval.entity';
import type { PromotionEntity } from '../persistence/promotion.entity';
import { DeploymentsRepository } from '../deployments/deployments.repository';
import { reduceDeploymentView } from '../deployments/deployment-view.reducer';
import { RunsRepository } from '../runs/runs.repository';
import { evaluateApprovals } from './approval-rule';
import type { PromotionBinding } from './promotion-binding.service';
import { PromotionsRepository } from './promotions.repository';

/**
 * Emits `deployment.requested` for a promotion whose rule is met, with its proof (the frozen
 * policy, the plan hash, the artifact sha256 and the approvals that count), and starts its read model.
 */
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
    approvals: readonly ApprovalEntity[],
    actor: string,
  ): Promise<string> {
    const deploymentId = randomUUID();
    const { artifact } = binding;
    const proof = deploymentProof(promotion, binding, approvals, new Date());
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
        approvedBy: proof.approvals.map((a) => a.approver),
        proof,
      },
      { actor, subject: deploymentId, correlationId: deploymentId },
    );
    const run = await this.runs.findRun(unit.manager, artifact.runId);
    const view = reduceDeploymentView(null, envelope);
    await this.deployments.save(unit.manager, {
      id: deploymentId,
      service: promotion.service,
      environment: promotion.toEnvironment,
      version: promotion.version,
      status: view.status,
      manifestVersion: binding.manifestVersion,
      artifactSha256: artifact.sha256,
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

/** The proof `deployment.requested` carries: one approval per approver whose approval counts. Pure. */
export function deploymentProof(
  promotion: PromotionEntity,
  binding: PromotionBinding,
  approvals: readonly ApprovalEntity[],
  now: Date,
): DeploymentProof {
  const current = { planHash: binding.planHash, artifactSha256: binding.artifact.sha256 };
  const counted = new Set(
    evaluateApprovals(binding.policy, promotion.requestedBy, approvals, current, now).validApprovers,
  );
  const chosen = new Map<string, ApprovalEntity>();
  for (const approval of approvals) {
    const bound =
      approval.planHash === current.planHash &&
      approval.artifactSha256 === current.artifactSha256 &&
      approval.expiresAt.getTime() > now.getTime();
    if (counted.has(approval.approver) && bound && !chosen.has(approval.approver))
      chosen.set(approval.approver, approval);
  }
  return {
    promotionId: promotion.id,
    planHash: binding.planHash,
    artifactSha256: binding.artifact.sha256,
    requestedBy: promotion.requestedBy,
    policy: binding.policy,
    approvals: [...chosen.values()]
      .sort((a, b) => a.approver.localeCompare(b.approver))
      .map((a) => ({
        approver: a.approver,
        role: a.approverRole ?? 'unknown',
        approvedAt: a.approvedAt.toISOString(),
        expiresAt: a.expiresAt.toISOString(),
        planHash: a.planHash,
        artifactSha256: a.artifactSha256,
      })),
  };
}
