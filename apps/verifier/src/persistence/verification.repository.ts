import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VerificationRequested } from '@conveyor/contracts';
import { AbortedDeploymentEntity } from './aborted-deployment.entity';
import { claimUnleased, lockIfHeld, releaseLease, renewLease, type LeasedTable } from './lease.queries';
import { VerificationEntity, type VerificationStatus } from './verification.entity';
import type { VerificationOutcome } from './verification-outcome.type';

const TABLE: LeasedTable = { table: 'verifier.verifications', idColumn: 'verification_id' };

export interface NewVerification {
  request: VerificationRequested;
  status: 'pending' | 'failed';
  correlationId: string;
  causationId: string;
  reason?: string;
  outcome?: VerificationOutcome;
}

/** The only place that reads and writes verifications and aborted deployments. */
@Injectable()
export class VerificationRepository {
  /** Records a request once (by verificationId); false when it was already known. */
  async insertIfNew(manager: EntityManager, row: NewVerification): Promise<boolean> {
    const finished = row.status === 'failed';
    const inserted: unknown[] = await manager.query(
      `INSERT INTO verifier.verifications
         (verification_id, deployment_id, batch_index, request, status, correlation_id, causation_id, finished_at, reason, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::boolean THEN now() END, $9, $10)
       ON CONFLICT (verification_id) DO NOTHING RETURNING verification_id`,
      [
        row.request.verificationId,
        row.request.deploymentId,
        row.request.batchIndex,
        JSON.stringify(row.request),
        row.status,
        row.correlationId,
        row.causationId,
        finished,
        row.reason ?? null,
        row.outcome === undefined ? null : JSON.stringify(row.outcome),
      ],
    );
    return inserted.length === 1;
  }

  find(manager: EntityManager, verificationId: string): Promise<VerificationEntity | null> {
    return manager.findOneBy(VerificationEntity, { verificationId });
  }

  async claim(
    manager: EntityManager,
    owner: string,
    limit: number,
    leaseMs: number,
  ): Promise<VerificationEntity[]> {
    const ids = await claimUnleased(manager, TABLE, owner, limit, leaseMs);
    if (ids.length === 0) return [];
    const rows: VerificationEntity[] = [];
    for (const id of ids) {
      const row = await this.find(manager, id);
      if (row) rows.push(row);
    }
    return rows;
  }

  renew(manager: EntityManager, verificationId: string, owner: string, leaseMs: number): Promise<boolean> {
    return renewLease(manager, TABLE, verificationId, owner, leaseMs);
  }

  release(manager: EntityManager, verificationId: string, owner: string): Promise<void> {
    return releaseLease(manager, TABLE, verificationId, owner);
  }

  lockIfHeld(manager: EntityManager, verificationId: string, owner: string): Promise<boolean> {
    return lockIfHeld(manager, TABLE, verificationId, owner);
  }

  async markStarted(
    manager: EntityManager,
    verificationId: string,
    startedAt: Date,
    deadlineAt: Date,
  ): Promise<void> {
    await manager.update(
      VerificationEntity,
      { verificationId },
      { status: 'running', startedAt, deadlineAt },
    );
  }

  async finish(
    manager: EntityManager,
    verificationId: string,
    status: Extract<VerificationStatus, 'passed' | 'failed'>,
    reason: string | null,
    outcome: VerificationOutcome,
  ): Promise<void> {
    await manager.update(
      VerificationEntity,
      { verificationId },
      { status, reason, outcome, finishedAt: new Date(), leaseOwner: null, leaseUntil: null },
    );
  }

  /** Unfinished verifications of a deployment that no runner holds (they have not started). */
  unheldUnfinished(manager: EntityManager, deploymentId: string): Promise<VerificationEntity[]> {
    return manager
      .createQueryBuilder(VerificationEntity, 'v')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('v.deployment_id = :deploymentId', { deploymentId })
      .andWhere(`v.status IN ('pending', 'running')`)
      .andWhere('(v.lease_until IS NULL OR v.lease_until < now())')
      .getMany();
  }

  async recordAbort(manager: EntityManager, deploymentId: string, reason: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AbortedDeploymentEntity)
      .values({ deploymentId, reason, abortedAt: new Date() })
      .orIgnore()
      .execute();
  }

  /** Why the deployment was aborted, or undefined when it was not. */
  async abortReason(manager: EntityManager, deploymentId: string): Promise<string | undefined> {
    const row = await manager.findOneBy(AbortedDeploymentEntity, { deploymentId });
    return row?.reason;
  }
}
