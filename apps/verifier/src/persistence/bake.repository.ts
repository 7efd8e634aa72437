import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VerificationBakeRequested } from '@conveyor/contracts';
import { BakeEntity, type BakeStatus } from './bake.entity';
import { claimUnleased, lockIfHeld, releaseLease, renewLease, type LeasedTable } from './lease.queries';

const TABLE: LeasedTable = { table: 'verifier.bakes', idColumn: 'bake_id' };

/** The only place that reads and writes bake windows. */
@Injectable()
export class BakeRepository {
  /** Records a bake request once (by bakeId); its window is measured from now. */
  async insertIfNew(
    manager: EntityManager,
    request: VerificationBakeRequested,
    correlationId: string,
    causationId: string,
  ): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO verifier.bakes (bake_id, deployment_id, request, status, correlation_id, causation_id, ends_at)
       VALUES ($1, $2, $3, 'pending', $4, $5, now() + make_interval(secs => $6))
       ON CONFLICT (bake_id) DO NOTHING RETURNING bake_id`,
      [
        request.bakeId,
        request.deploymentId,
        JSON.stringify(request),
        correlationId,
        causationId,
        request.durationSeconds,
      ],
    );
    return inserted.length === 1;
  }

  async claim(manager: EntityManager, owner: string, limit: number, leaseMs: number): Promise<BakeEntity[]> {
    const ids = await claimUnleased(manager, TABLE, owner, limit, leaseMs);
    if (ids.length === 0) return [];
    const rows: BakeEntity[] = [];
    for (const bakeId of ids) {
      const row = await manager.findOneBy(BakeEntity, { bakeId });
      if (row) rows.push(row);
    }
    return rows;
  }

  renew(manager: EntityManager, bakeId: string, owner: string, leaseMs: number): Promise<boolean> {
    return renewLease(manager, TABLE, bakeId, owner, leaseMs);
  }

  release(manager: EntityManager, bakeId: string, owner: string): Promise<void> {
    return releaseLease(manager, TABLE, bakeId, owner);
  }

  lockIfHeld(manager: EntityManager, bakeId: string, owner: string): Promise<boolean> {
    return lockIfHeld(manager, TABLE, bakeId, owner);
  }

  async markRunning(manager: EntityManager, bakeId: string): Promise<void> {
    await manager.update(BakeEntity, { bakeId }, { status: 'running' });
  }

  async finish(
    manager: EntityManager,
    bakeId: string,
    status: Exclude<BakeStatus, 'pending' | 'running'>,
    probes: number,
    detail: string,
  ): Promise<void> {
    await manager.update(
      BakeEntity,
      { bakeId },
      { status, probes, detail, finishedAt: new Date(), leaseOwner: null, leaseUntil: null },
    );
  }

  /** Unfinished bakes of a deployment that no runner holds. */
  unheldUnfinished(manager: EntityManager, deploymentId: string): Promise<BakeEntity[]> {
    return manager
      .createQueryBuilder(BakeEntity, 'b')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('b.deployment_id = :deploymentId', { deploymentId })
      .andWhere(`b.status IN ('pending', 'running')`)
      .andWhere('(b.lease_until IS NULL OR b.lease_until < now())')
      .getMany();
  }
}
