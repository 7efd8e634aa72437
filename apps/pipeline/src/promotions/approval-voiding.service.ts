import { Injectable } from '@nestjs/common';
import type { ServiceManifest } from '@conveyor/contracts';
import type { UnitOfWork } from '@conveyor/messaging';
import type { EnvironmentSpec } from '@conveyor/contracts';
import { buildPromotionPlan, hashPromotionPlan } from '@conveyor/planner';
import type { PromotionEntity } from '../persistence/promotion.entity';
import { PromotionsRepository } from './promotions.repository';

/**
 * Approvals are bound to a plan hash (the plan and the frozen policy) and an artifact sha256; they
 * stop counting as soon as the plan changes (the approval rule checks the binding every time).
 * Artifacts never change once published, and the policy is frozen, so only a manifest change that
 * alters the plan voids approvals. This service says so on the bus, with
 * `promotion.approvals.voided`, in the transaction of the change.
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
      const oldHash = planHashOf(promotion, before);
      const newHash = after ? planHashOf(promotion, after) : null;
      if (newHash === oldHash) continue;
      const approvals = await this.promotions.approvals(unit.manager, promotion.id);
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
}

function planHashOf(promotion: PromotionEntity, spec: EnvironmentSpec): string | null {
  const { policy, artifactSha256 } = promotion;
  if (!policy || !artifactSha256) return null;
  const frozen: EnvironmentSpec = {
    ...spec,
    approvals: {
      required: policy.required,
      separationOfDuties: policy.separationOfDuties,
      expiresAfterHours: policy.expiresAfterHours,
    },
  };
  return hashPromotionPlan(
    buildPromotionPlan({
      service: promotion.service,
      environment: promotion.toEnvironment,
      version: promotion.version,
      artifactSha256,
      spec: frozen,
    }),
    policy,
  );
}
