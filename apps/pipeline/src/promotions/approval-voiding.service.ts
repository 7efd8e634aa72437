import { Injectable } from '@nestjs/common';
import type { ServiceManifest } from '@conveyor/contracts';
import type { UnitOfWork } from '@conveyor/messaging';
import { buildPromotionPlan, hashPlan } from './promotion-plan.builder';
import { PromotionsRepository } from './promotions.repository';

/**
 * Approvals are bound to a plan hash and an artifact sha256; they stop counting as soon as either
 * changes (the approval rule checks the binding every time). This service says so on the bus,
 * with `promotion.approvals.voided`, in the transaction of the change.
 */
@Injectable()
export class ApprovalVoidingService {
  constructor(private readonly promotions: PromotionsRepository) {}

  async afterManifestChange(
    unit: UnitOfWork,
    previous: ServiceManifest | null,
    next: ServiceManifest,
    actor: string,
  ): Promise<void> {
    for (const promotion of await this.promotions.awaitingApproval(unit.manager, next.service)) {
      const before = previous?.environments[promotion.toEnvironment];
      if (!before) continue;
      const after = next.environments[promotion.toEnvironment];
      const oldHash = hashPlan(
        buildPromotionPlan(promotion.service, promotion.toEnvironment, promotion.version, before),
      );
      const newHash = after
        ? hashPlan(buildPromotionPlan(promotion.service, promotion.toEnvironment, promotion.version, after))
        : null;
      if (newHash === oldHash) continue;
      const approvals = await this.promotions.approvals(promotion.id, unit.manager);
      const voided = new Set(approvals.filter((a) => a.planHash === oldHash).map((a) => a.approver)).size;
      if (voided === 0) continue;
      const reason = after
        ? `the plan changed: a new manifest of ${next.service} changed ${promotion.toEnvironment}`
        : `${promotion.toEnvironment} was removed from the manifest`;
      unit.emit(
        'promotion.approvals.voided',
        { promotionId: promotion.id, reason, voided },
        { actor, subject: promotion.id },
      );
    }
  }

  async afterArtifactChange(
    unit: UnitOfWork,
    service: string,
    version: string,
    oldSha256: string,
    actor: string,
  ): Promise<void> {
    for (const promotion of await this.promotions.awaitingApproval(unit.manager, service, version)) {
      const approvals = await this.promotions.approvals(promotion.id, unit.manager);
      const voided = new Set(approvals.filter((a) => a.artifactSha256 === oldSha256).map((a) => a.approver))
        .size;
      if (voided === 0) continue;
      const reason = `the artifact of ${service} ${version} changed (sha256 was ${oldSha256})`;
      unit.emit(
        'promotion.approvals.voided',
        { promotionId: promotion.id, reason, voided },
        { actor, subject: promotion.id },
      );
    }
  }
}
