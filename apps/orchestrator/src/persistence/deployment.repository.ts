import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TERMINAL_STATUSES, type DeploymentState, type StepRecord } from '../domain/deployment-state.types';
import { DeploymentEntity } from './deployment.entity';
import { ORCHESTRATOR_SCHEMA as S } from './orchestrator-tables.migration';
import { StepEntity } from './step.entity';

const at = (ms: number | null | undefined): Date | null =>
  ms === null || ms === undefined ? null : new Date(ms);

function stepRow(deploymentId: string, step: StepRecord): StepEntity {
  return Object.assign(new StepEntity(), {
    stepId: step.stepId,
    requestId: step.requestId,
    deploymentId,
    kind: step.kind,
    batchIndex: step.batchIndex,
    servers: [...step.servers],
    purpose: step.purpose,
    attempt: step.attempt,
    status: step.status,
    issuedAt: new Date(step.issuedAt),
    deadlineAt: new Date(step.deadlineAt),
    finishedAt: at(step.finishedAt),
    detail: step.detail ?? null,
  });
}

/** TypeORM's postgres driver answers an UPDATE … RETURNING with `[rows, affectedCount]`. */
function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}

/** The only place that reads and writes deployments and their steps. */
@Injectable()
export class DeploymentRepository {
  /** The deployment's state, its row locked until the transaction ends (transitions are serial). */
  async lock(manager: EntityManager, deploymentId: string): Promise<DeploymentState | undefined> {
    const rows: { state: DeploymentState }[] = await manager.query(
      `SELECT state FROM "${S}".deployments WHERE deployment_id = $1 FOR UPDATE`,
      [deploymentId],
    );
    return rows[0]?.state;
  }

  async find(manager: EntityManager, deploymentId: string): Promise<DeploymentEntity | null> {
    return manager.findOne(DeploymentEntity, { where: { deploymentId } });
  }

  /** The deployment holding the service/environment's slot, if any (locked, so two requests queue up). */
  async activeFor(
    manager: EntityManager,
    service: string,
    environment: string,
  ): Promise<{ deploymentId: string; status: string } | undefined> {
    const rows: { deployment_id: string; status: string }[] = await manager.query(
      `SELECT deployment_id, status FROM "${S}".deployments WHERE service = $1 AND environment = $2 AND active FOR UPDATE`,
      [service, environment],
    );
    const row = rows[0];
    return row ? { deploymentId: row.deployment_id, status: row.status } : undefined;
  }

  /** Serialises requests for one service/environment for the rest of the transaction. */
  async lockSlot(manager: EntityManager, service: string, environment: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
      `orchestrator:${service}/${environment}`,
    ]);
  }

  async insert(
    manager: EntityManager,
    state: DeploymentState,
    owner: string,
    leaseMs: number,
  ): Promise<void> {
    const row = Object.assign(new DeploymentEntity(), {
      deploymentId: state.deploymentId,
      service: state.service,
      environment: state.environment,
      version: state.version,
      status: state.status,
      active: !TERMINAL_STATUSES.includes(state.status),
      state,
      wakeAt: at(state.wakeAt),
      leaseOwner: owner,
      leaseUntil: new Date(Date.now() + leaseMs),
      finishedAt: at(state.finishedAt),
    });
    await manager.insert(DeploymentEntity, row);
    await this.saveSteps(manager, undefined, state);
  }

  /** Writes a transition; this instance takes the lease if nobody holds it or it expired. */
  async save(
    manager: EntityManager,
    before: DeploymentState,
    after: DeploymentState,
    owner: string,
    leaseMs: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE "${S}".deployments SET status = $2, active = $3, state = $4, wake_at = $5, finished_at = $6, updated_at = now(),
         lease_owner = CASE WHEN lease_owner = $7 OR lease_owner IS NULL OR lease_until < now() THEN $7 ELSE lease_owner END,
         lease_until = CASE WHEN lease_owner = $7 OR lease_owner IS NULL OR lease_until < now() THEN now() + make_interval(secs => $8) ELSE lease_until END
       WHERE deployment_id = $1`,
      [
        after.deploymentId,
        after.status,
        !TERMINAL_STATUSES.includes(after.status),
        JSON.stringify(after),
        at(after.wakeAt),
        at(after.finishedAt),
        owner,
        leaseMs / 1000,
      ],
    );
    await this.saveSteps(manager, before, after);
  }

  /** New steps are inserted (a reused step id violates the primary key); finished or re-sent ones updated. */
  private async saveSteps(
    manager: EntityManager,
    before: DeploymentState | undefined,
    after: DeploymentState,
  ): Promise<void> {
    const known = new Map((before?.steps ?? []).map((step) => [step.stepId, step]));
    const fresh = after.steps.filter((step) => !known.has(step.stepId));
    if (fresh.length > 0)
      await manager.insert(
        StepEntity,
        fresh.map((step) => stepRow(after.deploymentId, step)),
      );
    for (const step of after.steps) {
      const old = known.get(step.stepId);
      if (old && (old.status !== step.status || old.deadlineAt !== step.deadlineAt)) {
        // A re-sent agent command moves its step's deadline on.
        await manager.update(
          StepEntity,
          { stepId: step.stepId },
          {
            status: step.status,
            finishedAt: at(step.finishedAt),
            detail: step.detail ?? null,
            deadlineAt: new Date(step.deadlineAt),
          },
        );
      }
    }
  }

  /** The deployment a participant's answer belongs to, by the request id or step id we sent. */
  async deploymentOfStep(
    manager: EntityManager,
    key: { requestId: string } | { stepId: string },
  ): Promise<string | undefined> {
    const [column, value] = 'requestId' in key ? ['request_id', key.requestId] : ['step_id', key.stepId];
    const rows: { deployment_id: string }[] = await manager.query(
      `SELECT deployment_id FROM "${S}".steps WHERE ${column} = $1`,
      [value],
    );
    return rows[0]?.deployment_id;
  }

  /**
   * Deployments waiting for an answer from `nodeId`'s agent (a command or a state request still
   * issued). SQL: the step's server is the first element of an array column.
   */
  async awaitingAgent(manager: EntityManager, nodeId: string): Promise<string[]> {
    const rows: { deployment_id: string }[] = await manager.query(
      `SELECT DISTINCT deployment_id FROM "${S}".steps WHERE status = 'issued' AND servers[1] = $1 AND kind = ANY($2)`,
      [nodeId, ['deploy', 'rollback', 'migrate', 'inspect']],
    );
    return rows.map((row) => row.deployment_id);
  }

  /** Keeps this instance's leases alive; returns how many it holds. */
  async renewLeases(manager: EntityManager, owner: string, leaseMs: number): Promise<number> {
    const result: unknown = await manager.query(
      `UPDATE "${S}".deployments SET lease_until = now() + make_interval(secs => $2) WHERE active AND lease_owner = $1 RETURNING deployment_id`,
      [owner, leaseMs / 1000],
    );
    return returnedRows(result).length;
  }

  /** Takes over active deployments nobody holds (their owner died and the lease expired). */
  async claimOrphans(
    manager: EntityManager,
    owner: string,
    leaseMs: number,
    limit: number,
  ): Promise<string[]> {
    const result: unknown = await manager.query(
      `UPDATE "${S}".deployments SET lease_owner = $1, lease_until = now() + make_interval(secs => $2)
       WHERE deployment_id IN (
         SELECT deployment_id FROM "${S}".deployments
         WHERE active AND (lease_owner IS NULL OR lease_until < now())
         ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING deployment_id`,
      [owner, leaseMs / 1000, limit],
    );
    return returnedRows<{ deployment_id: string }>(result).map((row) => row.deployment_id);
  }

  /** One deployment this instance holds whose deadline has come, locked; others skip it. */
  async lockDue(manager: EntityManager, owner: string, now: number): Promise<DeploymentState | undefined> {
    const rows: { state: DeploymentState }[] = await manager.query(
      `SELECT state FROM "${S}".deployments
       WHERE active AND wake_at <= $2 AND lease_owner = $1 AND lease_until > now()
       ORDER BY wake_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [owner, new Date(now)],
    );
    return rows[0]?.state;
  }

  /** Gives this instance's leases back on a clean shutdown so another takes over at once. */
  async releaseLeases(manager: EntityManager, owner: string): Promise<void> {
    await manager.query(
      `UPDATE "${S}".deployments SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1`,
      [owner],
    );
  }
}
