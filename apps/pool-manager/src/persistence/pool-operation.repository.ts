import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { ServerIntent } from '../domain/pool-state.types';
import {
  PoolOperationEntity,
  type OperationOutcome,
  type OperationRequest,
  type OperationStatus,
} from './pool-operation.entity';

export interface NewOperation {
  readonly request: OperationRequest;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly actor: string;
  readonly subject: string | null;
}

/** Drain and enable operations; the only code that touches `pool_operation`. */
@Injectable()
export class PoolOperationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a new operation; false when its operationId is already known (a repeated request). */
  async record(operation: NewOperation, manager: EntityManager): Promise<boolean> {
    const { data, kind } = operation.request;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(PoolOperationEntity)
      .values({
        operationId: data.operationId,
        kind,
        pool: data.pool,
        request: operation.request,
        status: 'pending',
        correlationId: operation.correlationId,
        causationId: operation.causationId,
        actor: operation.actor,
        subject: operation.subject,
      })
      .orIgnore()
      .returning(['operationId'])
      .execute();
    return Array.isArray(result.raw) && result.raw.length === 1;
  }

  /** Operations not finished yet (new ones, and ones a crash interrupted), oldest first. */
  unfinished(): Promise<PoolOperationEntity[]> {
    return this.dataSource.manager.getRepository(PoolOperationEntity).find({
      where: { status: In(['pending', 'running'] satisfies OperationStatus[]) },
      order: { createdAt: 'ASC' },
    });
  }

  find(operationId: string): Promise<PoolOperationEntity | null> {
    return this.dataSource.manager.getRepository(PoolOperationEntity).findOneBy({ operationId });
  }

  /** Marks it running and keeps the prior intents a failure would restore (kept across a resume). */
  async markRunning(operationId: string, prior: readonly ServerIntent[]): Promise<void> {
    await this.dataSource.manager
      .getRepository(PoolOperationEntity)
      .update({ operationId }, { status: 'running', prior: [...prior], updatedAt: new Date() });
  }

  async finish(
    operationId: string,
    status: 'succeeded' | 'failed',
    outcome: OperationOutcome,
    manager: EntityManager,
  ): Promise<void> {
    const now = new Date();
    await manager
      .getRepository(PoolOperationEntity)
      .update({ operationId }, { status, outcome, updatedAt: now, finishedAt: now });
  }
}
