import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EnvironmentSpec, FrozenApprovalPolicy } from '@conveyor/contracts';
import { buildPromotionPlan, hashPromotionPlan, type PromotionPlan } from '@conveyor/planner';
import { ManifestsRepository } from '../catalogue/manifests.repository';
import type { ArtifactEntity } from '../persistence/artifact.entity';
import type { PromotionEntity } from '../persistence/promotion.entity';
import { conflict } from '../http/api-errors';
import { RunsRepository } from '../runs/runs.repository';

/**
 * What a promotion is bound to right now: the latest manifest's environment section and its plan,
 * the artifact, and the approval policy frozen when the promotion was requested. The plan hash
 * covers the plan (with the artifact sha256) and the frozen policy.
 */
export interface PromotionBinding {
  manifestVersion: number;
  /** The environment's section, its approval rule replaced by the frozen one. */
  spec: EnvironmentSpec;
  policy: FrozenApprovalPolicy;
  plan: PromotionPlan;
  planHash: string;
  artifact: ArtifactEntity;
}

@Injectable()
export class PromotionBindingService {
  constructor(
    private readonly manifests: ManifestsRepository,
    private readonly runs: RunsRepository,
  ) {}

  async current(manager: EntityManager, promotion: PromotionEntity): Promise<PromotionBinding> {
    const { policy } = promotion;
    if (!policy || !promotion.artifactSha256)
      throw conflict(
        `promotion ${promotion.id} was requested before approval policies were frozen; request the promotion again`,
      );
    const manifest = await this.manifests.latest(manager, promotion.service);
    const latest = manifest?.manifest.environments[promotion.toEnvironment];
    if (!manifest || !latest) {
      throw conflict(
        `${promotion.service} no longer has an environment ${promotion.toEnvironment} in its manifest`,
      );
    }
    const artifact = await this.runs.artifact(manager, promotion.service, promotion.version);
    if (!artifact) throw conflict(`no artifact of ${promotion.service} ${promotion.version} is published`);
    if (artifact.sha256 !== promotion.artifactSha256)
      throw conflict(
        `the artifact of ${promotion.service} ${promotion.version} is ${artifact.sha256}, not ${promotion.artifactSha256} the promotion was requested for`,
      );
    const spec: EnvironmentSpec = {
      ...latest,
      approvals: {
        required: policy.required,
        separationOfDuties: policy.separationOfDuties,
        expiresAfterHours: policy.expiresAfterHours,
      },
    };
    const plan = buildPromotionPlan({
      service: promotion.service,
      environment: promotion.toEnvironment,
      version: promotion.version,
      artifactSha256: artifact.sha256,
      spec,
    });
    return {
      manifestVersion: manifest.version,
      spec,
      policy,
      plan,
      planHash: hashPromotionPlan(plan, policy),
      artifact,
    };
  }
}
