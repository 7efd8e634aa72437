import { randomUUID } from 'node:crypto';
import { HttpException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { environmentOrder } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { ActionAuditService } from '../auth/action-audit.service';
import { emitApiAction } from '../auth/api-action';
import type { ApiAction } from '../auth/caller.decorator';
import { PERMISSIONS, mayPromoteTo } from '../auth/role-policy';
import { ManifestsRepository } from '../catalogue/manifests.repository';
import type { PromotionEntity } from '../persistence/promotion.entity';
import { DeploymentsRepository } from '../deployments/deployments.repository';
import { conflict, forbidden, notFound } from '../http/api-errors';
import { RunsRepository } from '../runs/runs.repository';
import { freezeApprovalPolicy } from './approval-policy';
import { evaluateApprovals } from './approval-rule';
import { DeploymentRequesterService } from './deployment-requester.service';
import { PromotionBindingService, type PromotionBinding } from './promotion-binding.service';
import { checkPromotionEligibility } from './promotion-eligibility';
import type { ListPromotionsQuery, RequestPromotionBody } from './promotion.schemas';
import { promotionView, type PromotionView } from './promotion.views';
import { PromotionsRepository } from './promotions.repository';

type Requested = { ok: true; created: boolean; view: PromotionView } | { ok: false; error: HttpException };

@Injectable()
export class PromotionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: TransactionalBus,
    private readonly promotions: PromotionsRepository,
    private readonly manifests: ManifestsRepository,
    private readonly runs: RunsRepository,
    private readonly deployments: DeploymentsRepository,
    private readonly bindings: PromotionBindingService,
    private readonly requester: DeploymentRequesterService,
    private readonly audit: ActionAuditService,
  ) {}

  /**
   * Requests a promotion. Refused (409, with the reason) unless the same artifact (sha256)
   * succeeded in the previous environment; the same request while one is open returns the open
   * one. The approval rule is frozen on the promotion now. Without required approvals,
   * `deployment.requested` is emitted at once.
   */
  async request(
    body: RequestPromotionBody,
    action: ApiAction,
  ): Promise<{ created: boolean; view: PromotionView }> {
    const manifest = await this.manifests.latest(this.dataSource.manager, body.service);
    if (!manifest) throw notFound(`no service ${body.service} in the catalogue`);
    const required = manifest.manifest.environments[body.environment]?.approvals.required ?? 0;
    const allowed = mayPromoteTo(action.caller.role, required);
    if (!allowed.ok) throw await this.audit.refused(action, forbidden(allowed.reason));

    const result = await this.bus.transaction<Requested>(async (unit) => {
      await this.manifests.lockService(unit.manager, body.service);
      const open = await this.promotions.findOpen(unit.manager, body.service, body.environment, body.version);
      if (open) {
        emitApiAction(
          unit,
          action,
          200,
          `promotion of ${body.service} ${body.version} to ${body.environment} already open`,
          open.id,
        );
        return { ok: true, created: false, view: await this.view(unit.manager, open) };
      }
      // The manifest as it is now, under the service lock: the rule frozen below is this one.
      const locked = (await this.manifests.latest(unit.manager, body.service)) ?? manifest;
      const policy = freezeApprovalPolicy(
        locked.manifest,
        locked.version,
        body.environment,
        PERMISSIONS.approve,
      );
      if (policy && policy.required !== required) {
        const again = mayPromoteTo(action.caller.role, policy.required);
        if (!again.ok) return { ok: false, error: forbidden(again.reason) };
      }
      const artifact = await this.runs.artifact(unit.manager, body.service, body.version);
      const stages = artifact ? await this.runs.stages(unit.manager, artifact.runId) : [];
      const eligibility = checkPromotionEligibility({
        service: body.service,
        version: body.version,
        target: body.environment,
        order: environmentOrder(locked.manifest),
        artifactSha256: artifact?.sha256 ?? null,
        failedStages: stages.filter((s) => s.status === 'failed').map((s) => s.name),
        succeededIn: artifact
          ? await this.deployments.succeededEnvironments(
              unit.manager,
              body.service,
              body.version,
              artifact.sha256,
            )
          : new Set<string>(),
      });
      if (!eligibility.ok) return { ok: false, error: conflict(eligibility.reason) };
      if (!policy || !artifact)
        return { ok: false, error: conflict(`${body.service} has no environment ${body.environment}`) };
      const now = new Date();
      const promotion: PromotionEntity = {
        id: randomUUID(),
        service: body.service,
        version: body.version,
        fromEnvironment: eligibility.fromEnvironment,
        toEnvironment: body.environment,
        status: 'awaiting_approval',
        requestedBy: action.caller.name,
        approvalsRequired: policy.required,
        policy,
        artifactSha256: artifact.sha256,
        deploymentId: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.promotions.save(unit.manager, promotion);
      const actor = action.caller.name;
      unit.emit(
        'promotion.requested',
        {
          promotionId: promotion.id,
          service: body.service,
          version: body.version,
          fromEnvironment: eligibility.fromEnvironment,
          toEnvironment: body.environment,
          requestedBy: actor,
          approvalsRequired: policy.required,
        },
        { actor, subject: promotion.id },
      );
      if (policy.required === 0) {
        const binding = await this.bindings.current(unit.manager, promotion);
        await this.requester.request(unit, promotion, binding, [], actor);
      }
      emitApiAction(
        unit,
        action,
        201,
        `requested promotion of ${body.service} ${body.version} to ${body.environment}`,
        promotion.id,
      );
      return { ok: true, created: true, view: await this.view(unit.manager, promotion) };
    });
    if (!result.ok) throw await this.audit.refused(action, result.error);
    return result;
  }

  async get(id: string): Promise<PromotionView> {
    const promotion = await this.promotions.find(this.dataSource.manager, id);
    if (!promotion) throw notFound(`no promotion ${id}`);
    return this.view(this.dataSource.manager, promotion);
  }

  async list(query: ListPromotionsQuery): Promise<PromotionView[]> {
    const found = await this.promotions.list(
      this.dataSource.manager,
      {
        ...(query.service ? { service: query.service } : {}),
        ...(query.status ? { status: query.status } : {}),
      },
      query.limit,
    );
    return Promise.all(found.map((promotion) => this.view(this.dataSource.manager, promotion)));
  }

  /** The dry-run plan approvers review, the frozen policy, their hash, and the artifact it is bound to. */
  async plan(id: string) {
    const promotion = await this.promotions.find(this.dataSource.manager, id);
    if (!promotion) throw notFound(`no promotion ${id}`);
    const binding = await this.bindings.current(this.dataSource.manager, promotion);
    return {
      promotionId: promotion.id,
      planHash: binding.planHash,
      artifact: { url: binding.artifact.url, sha256: binding.artifact.sha256, size: binding.artifact.size },
      manifestVersion: binding.manifestVersion,
      policy: binding.policy,
      plan: binding.plan,
    };
  }

  private async view(manager: EntityManager, promotion: PromotionEntity): Promise<PromotionView> {
    const approvals = await this.promotions.approvals(manager, promotion.id);
    let binding: PromotionBinding | null = null;
    try {
      binding = await this.bindings.current(manager, promotion);
    } catch {
      binding = null;
    }
    const evaluation = binding
      ? evaluateApprovals(
          binding.policy,
          promotion.requestedBy,
          approvals,
          { planHash: binding.planHash, artifactSha256: binding.artifact.sha256 },
          new Date(),
        )
      : null;
    return promotionView(promotion, approvals, evaluation, binding);
  }
}
