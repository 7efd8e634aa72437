import { randomUUID } from 'node:crypto';
import { HttpException, Injectable } from '@nestjs/common';
import { TransactionalBus } from '@conveyor/messaging';
import { ActionAuditService } from '../auth/action-audit.service';
import { emitApiAction } from '../auth/api-action';
import type { ApiAction } from '../auth/caller.decorator';
import { conflict, forbidden, notFound } from '../http/api-errors';
import { checkApprovalAttempt, evaluateApprovals } from './approval-rule';
import { DeploymentRequesterService } from './deployment-requester.service';
import { PromotionBindingService } from './promotion-binding.service';
import type { ApproveBody } from './promotion.schemas';
import { promotionView, type PromotionView } from './promotion.views';
import { PromotionsRepository } from './promotions.repository';

type Approved = { ok: true; view: PromotionView } | { ok: false; error: HttpException };

const HOUR_MS = 3_600_000;

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly bus: TransactionalBus,
    private readonly promotions: PromotionsRepository,
    private readonly bindings: PromotionBindingService,
    private readonly requester: DeploymentRequesterService,
    private readonly audit: ActionAuditService,
  ) {}

  /**
   * Approves a promotion as the caller, bound to the plan hash and the artifact sha256 they
   * reviewed, judged by the policy frozen when the promotion was requested. The promotion row is locked, so when the rule becomes met `deployment.requested`
   * is emitted exactly once, however many approvals race.
   */
  async approve(promotionId: string, body: ApproveBody, action: ApiAction): Promise<PromotionView> {
    const approver = action.caller.name;
    const result = await this.bus.transaction<Approved>(async (unit) => {
      const promotion = await this.promotions.findForUpdate(unit.manager, promotionId);
      if (!promotion) throw notFound(`no promotion ${promotionId}`);
      const binding = await this.bindings.current(unit.manager, promotion);
      const current = { planHash: binding.planHash, artifactSha256: binding.artifact.sha256 };
      const attempt = checkApprovalAttempt({
        rule: binding.policy,
        promotionStatus: promotion.status,
        requester: promotion.requestedBy,
        approver,
        approverRole: action.caller.role,
        reviewed: body,
        current,
      });
      if (!attempt.ok)
        return {
          ok: false,
          error: attempt.status === 403 ? forbidden(attempt.reason) : conflict(attempt.reason),
        };
      const now = new Date();
      await this.promotions.addApproval(unit.manager, {
        id: randomUUID(),
        promotionId,
        approver,
        approverRole: action.caller.role,
        ...current,
        approvedAt: now,
        expiresAt: new Date(now.getTime() + binding.policy.expiresAfterHours * HOUR_MS),
      });
      const approvals = await this.promotions.approvals(unit.manager, promotionId);
      const evaluation = evaluateApprovals(binding.policy, promotion.requestedBy, approvals, current, now);
      unit.emit(
        'promotion.approved',
        { promotionId, approver, ...current, approvalsCount: Math.max(1, evaluation.validApprovers.length) },
        { actor: approver, subject: promotionId },
      );
      if (evaluation.met) await this.requester.request(unit, promotion, binding, approvals, approver);
      const summary = evaluation.met
        ? `approved promotion of ${promotion.service} ${promotion.version} to ${promotion.toEnvironment}; rule met, deployment requested`
        : `approved promotion of ${promotion.service} ${promotion.version} to ${promotion.toEnvironment}; ${evaluation.missing} more approval(s) needed`;
      emitApiAction(unit, action, 201, summary, promotionId);
      return { ok: true, view: promotionView(promotion, approvals, evaluation, binding) };
    });
    if (!result.ok) throw await this.audit.refused(action, result.error, promotionId);
    return result.view;
  }
}
