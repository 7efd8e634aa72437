import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { ApprovalEntity } from '../persistence/approval.entity';
import { PromotionEntity, type PromotionStatus } from '../persistence/promotion.entity';

/** The only place that touches promotions and approvals. */
@Injectable()
export class PromotionsRepository {
  find(manager: EntityManager, id: string): Promise<PromotionEntity | null> {
    return manager.getRepository(PromotionEntity).findOne({ where: { id } });
  }

  /** Locks the promotion row: approvals of one promotion are decided one at a time. */
  findForUpdate(manager: EntityManager, id: string): Promise<PromotionEntity | null> {
    return manager
      .getRepository(PromotionEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findOpen(
    manager: EntityManager,
    service: string,
    environment: string,
    version: string,
  ): Promise<PromotionEntity | null> {
    return manager.getRepository(PromotionEntity).findOne({
      where: { service, toEnvironment: environment, version, status: In(['awaiting_approval', 'deploying']) },
    });
  }

  awaitingApproval(manager: EntityManager, service: string, version?: string): Promise<PromotionEntity[]> {
    return manager.getRepository(PromotionEntity).find({
      where: { service, status: 'awaiting_approval', ...(version === undefined ? {} : { version }) },
      lock: { mode: 'pessimistic_write' },
    });
  }

  byDeployment(manager: EntityManager, deploymentId: string): Promise<PromotionEntity | null> {
    return manager.getRepository(PromotionEntity).findOne({ where: { deploymentId } });
  }

  list(
    manager: EntityManager,
    filter: { service?: string; status?: PromotionStatus },
    limit: number,
  ): Promise<PromotionEntity[]> {
    return manager
      .getRepository(PromotionEntity)
      .find({ where: filter, order: { createdAt: 'DESC' }, take: limit });
  }

  async save(manager: EntityManager, promotion: PromotionEntity): Promise<void> {
    await manager.getRepository(PromotionEntity).save(promotion);
  }

  approvals(manager: EntityManager, promotionId: string): Promise<ApprovalEntity[]> {
    return manager
      .getRepository(ApprovalEntity)
      .find({ where: { promotionId }, order: { approvedAt: 'ASC' } });
  }

  /** Inserts an approval; the same approver approving the same plan and artifact again adds nothing. */
  async addApproval(manager: EntityManager, approval: ApprovalEntity): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ApprovalEntity)
      .values(approval)
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
