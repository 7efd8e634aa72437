import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApiTokenEntity } from '../persistence/api-token.entity';

/** The only place that touches the api_tokens table. */
@Injectable()
export class ApiTokensRepository {
  findActiveByHash(manager: EntityManager, tokenHash: string): Promise<ApiTokenEntity | null> {
    return manager
      .getRepository(ApiTokenEntity)
      .createQueryBuilder('t')
      .where('t.token_hash = :tokenHash AND t.revoked_at IS NULL', { tokenHash })
      .getOne();
  }

  list(manager: EntityManager): Promise<ApiTokenEntity[]> {
    return manager.getRepository(ApiTokenEntity).find({ order: { createdAt: 'ASC' } });
  }

  /** Every token, revoked ones included, oldest first (what the identity announcement carries). */
  listAll(manager: EntityManager): Promise<ApiTokenEntity[]> {
    return manager.getRepository(ApiTokenEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(manager: EntityManager, id: string): Promise<ApiTokenEntity | null> {
    return manager
      .getRepository(ApiTokenEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(manager: EntityManager, token: ApiTokenEntity): Promise<void> {
    await manager.getRepository(ApiTokenEntity).save(token);
  }
}
