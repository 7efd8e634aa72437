import type { ApprovalEntity } from '../persistence/approval.entity';
import type { PromotionEntity } from '../persistence/promotion.entity';
import type { ApprovalEvaluation } from './approval-rule';
import type { PromotionBinding } from './promotion-binding.service';

export function promotionView(
  promotion: PromotionEntity,
  approvals: ApprovalEntity[],
  evaluation: ApprovalEvaluation | null,
  binding: PromotionBinding | null,
) {
  return {
    id: promotion.id,
    service: promotion.service,
    version: promotion.version,
    fromEnvironment: promotion.fromEnvironment,
    toEnvironment: promotion.toEnvironment,
    status: promotion.status,
    requestedBy: promotion.requestedBy,
    deploymentId: promotion.deploymentId,
    createdAt: promotion.createdAt.toISOString(),
    updatedAt: promotion.updatedAt.toISOString(),
    planHash: binding?.planHash ?? null,
    artifactSha256: promotion.artifactSha256,
    manifestVersion: binding?.manifestVersion ?? null,
    /** The approval rule frozen when the promotion was requested; approvals are judged by it. */
    policy: promotion.policy,
    approvals: {
      required: evaluation?.required ?? promotion.approvalsRequired,
      separationOfDuties: promotion.policy?.separationOfDuties ?? null,
      expiresAfterHours: promotion.policy?.expiresAfterHours ?? null,
      approverRoles: promotion.policy?.approverRoles ?? null,
      valid: evaluation?.validApprovers ?? [],
      missing: evaluation?.missing ?? 0,
      voided: (evaluation?.voided ?? []).map((v) => ({
        approver: v.approver,
        approvedAt: v.approvedAt.toISOString(),
        reason: v.reason,
      })),
      given: approvals.map((a) => ({
        approver: a.approver,
        approvedAt: a.approvedAt.toISOString(),
        expiresAt: a.expiresAt.toISOString(),
        planHash: a.planHash,
        artifactSha256: a.artifactSha256,
      })),
    },
  };
}
export type PromotionView = ReturnType<typeof promotionView>;
