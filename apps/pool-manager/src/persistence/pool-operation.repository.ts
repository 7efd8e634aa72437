import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { ServerIntent } from '../domain/pool-state.types';
import { POOL_MANAGER_SCHEMA } from './pool-manager-tables.migration';
import { PoolOperationEntity, type OperationOutcome, type OperationRequest } from './pool-operation.entity';

export interface NewOperation {
  readonly request: OperationRequest;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly actor: string;
  readonly subject: string | null;
}

/**
 * Drain and enable operations; the only code that touches `pool_operation`. The lease statements
 * are SQL: they run on the database's clock (`now()`), the same for every replica.
 */
@Injectable()
export class PoolOperationRepository {
  /**
   * Records a new operation; false when its operationId is already known (a repeated request).
   * ON CONFLICT DO NOTHING through the query builder (`orIgnore`).
   */
  async record(manager: EntityManager, operation: NewOperation): Promise<boolean> {
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

  /**
   * Claims up to `limit` operations for `owner`, at most one per pool: only the oldest unfinished
   * operation of a pool can be claimed, and only while nobody holds a live lease on it. Rows another
   * replica is claiming are skipped (`FOR UPDATE SKIP LOCKED`); a younger operation of the same pool
   * is never taken instead, so each pool runs one operation at a time across every replica, in
   * arrival order, and its capacity floor is checked against a state no other operation changes.
   */
  async claim(
    manager: EntityManager,
    owner: string,
    limit: number,
    leaseMs: number,
  ): Promise<PoolOperationEntity[]> {
    const result: unknown = await manager.query(
      `UPDATE ${TABLE} SET lease_owner = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
       WHERE operation_id IN (
         SELECT candidate.operation_id FROM ${TABLE} candidate
         WHERE candidate.status IN ('pending', 'running')
           AND (candidate.lease_until IS NULL OR candidate.lease_until < now())
           AND NOT EXISTS (
             SELECT 1 FROM ${TABLE} earlier
             WHERE earlier.pool = candidate.pool AND earlier.status IN ('pending', 'running')
               AND (earlier.created_at, earlier.operation_id) < (candidate.created_at, candidate.operation_id))
         ORDER BY candidate.created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING operation_id`,
      [owner, leaseMs / 1000, limit],
    );
    const ids = updatedRows<{ operation_id: string }>(result).map((row) => row.operation_id);
    if (ids.length === 0) return [];
    return manager
      .getRepository(PoolOperationEntity)
      .find({ where: { operationId: In(ids) }, order: { createdAt: 'ASC' } });
  }

  /**
   * Extends the lease; false when `owner` no longer holds it (expired and taken, or finished).
   * SQL: the lease runs on the database's clock.
   */
  async renew(manager: EntityManager, operationId: string, owner: string, leaseMs: number): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE ${TABLE} SET lease_until = now() + make_interval(secs => $3)
       WHERE operation_id = $1 AND lease_owner = $2 AND status IN ('pending', 'running')`,
      [operationId, owner, leaseMs / 1000],
    );
    return affectedCount(result) === 1;
  }

  /**
   * Gives an unfinished operation back (shutdown, or a run that broke) so a replica takes it up at once.
   * SQL: one of the lease's statements, conditional on its holder like the others.
   */
  async release(manager: EntityManager, operationId: string, owner: string): Promise<void> {
    await manager.query(
      `UPDATE ${TABLE} SET lease_owner = NULL, lease_until = NULL
       WHERE operation_id = $1 AND lease_owner = $2`,
      [operationId, owner],
    );
  }

  find(manager: EntityManager, operationId: string): Promise<PoolOperationEntity | null> {
    return manager.getRepository(PoolOperationEntity).findOneBy({ operationId });
  }

  /**
   * Marks it running and keeps the prior intents a failure would restore (kept across a resume);
   * throws `LeaseLost` when `owner` no longer holds it, before anything is changed.
   * SQL: checks the lease against the database's clock.
   */
  async markRunning(
    manager: EntityManager,
    operationId: string,
    prior: readonly ServerIntent[],
    owner: string,
  ): Promise<void> {
    const result: unknown = await manager.query(
      `UPDATE ${TABLE} SET status = 'running', prior = $3::jsonb, updated_at = now()
       WHERE operation_id = $1 AND lease_owner = $2 AND lease_until > now() AND status IN ('pending', 'running')`,
      [operationId, owner, JSON.stringify(prior)],
    );
    if (affectedCount(result) !== 1) throw new LeaseLost(operationId, owner);
  }

  /**
   * Records the outcome in the caller's transaction, only while `owner` holds the lease (the row is
   * locked until that transaction ends); throws `LeaseLost` otherwise, so the event is not emitted.
   * SQL: conditional on the lease, stamped with the database's clock.
   */
  async finish(
    manager: EntityManager,
    operationId: string,
    status: 'succeeded' | 'failed',
    outcome: OperationOutcome,
    owner: string,
  ): Promise<void> {
    const result: unknown = await manager.query(
      `UPDATE ${TABLE} SET status = $3, outcome = $4::jsonb, updated_at = now(), finished_at = now(),
         lease_owner = NULL, lease_until = NULL
       WHERE operation_id = $1 AND lease_owner = $2 AND status IN ('pending', 'running')`,
      [operationId, owner, status, JSON.stringify(outcome)],
    );
    if (affectedCount(result) !== 1) throw new LeaseLost(operationId, owner);
  }
}

/** This replica no longer holds the operation: another one runs it (or it is finished). */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
  constructor(operationId: string, owner: string) {
    super(`operation ${operationId} is no longer held by ${owner}: another replica runs it`);
  }
}

const TABLE = `"${POOL_MANAGER_SCHEMA}".pool_operation`;

/** TypeORM's postgres driver answers an UPDATE with `[rows, affectedCount]`. */
function updatedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) return result[0] as T[];
  throw new Error('unexpected answer to an UPDATE … RETURNING from the database driver');
}

function affectedCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  throw new Error('unexpected answer to an UPDATE from the database driver');
}
