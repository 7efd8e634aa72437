import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EnvironmentSpec } from '@conveyor/contracts';
import { ManifestsRepository } from '../catalogue/manifests.repository';
import type { ArtifactEntity } from '../database/artifact.entity';
import type { PromotionEntity } from '../database/promotion.entity';
import { conflict } from '../http/api-errors';
import { RunsRepository } from '../runs/runs.repository';
import type { ApprovalRule } from './approval-rule';
import { buildPromotionPlan, hashPlan, type PromotionPlan } from './promotion-plan.builder';

/** What a promotion is bound to right now: the latest manifest's environment section, its plan and the artifact. */
export interface PromotionBinding {
  manifestVersion: number;
  spec: EnvironmentSpec;
  rule: ApprovalRule;
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
    const manifest = await this.manifests.latest(promotion.service, manager);
    const spec = manifest?.manifest.environments[promotion.toEnvironment];
    if (!manifest || !spec) {
      throw conflict(
        `${promotion.service} no longer has an environment ${promotion.toEnvironment} in its manifest`,
      );
    }
    const artifact = await this.runs.artifact(promotion.service, promotion.version, manager);
    if (!artifact) throw conflict(`no artifact of ${promotion.service} ${promotion.version} is published`);
    const plan = buildPromotionPlan(promotion.service, promotion.toEnvironment, promotion.version, spec);
    return {
      manifestVersion: manifest.version,
      spec,
      rule: spec.approvals,
      plan,
      planHash: hashPlan(plan),
      artifact,
    };
  }
}
