import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { DeploymentEntity } from '../persistence/deployment.entity';

/** The only place that touches the deployments read model. */
@Injectable()
export class DeploymentsRepository {
  find(manager: EntityManager, id: string): Promise<DeploymentEntity | null> {
    return manager.getRepository(DeploymentEntity).findOne({ where: { id } });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<DeploymentEntity | null> {
    return manager
      .getRepository(DeploymentEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  list(
    manager: EntityManager,
    filter: { service?: string; environment?: string },
    limit: number,
  ): Promise<DeploymentEntity[]> {
    return manager
      .getRepository(DeploymentEntity)
      .find({ where: filter, order: { updatedAt: 'DESC' }, take: limit });
  }

  /** Environments where a deployment of this version, with this very artifact (sha256), succeeded. */
  async succeededEnvironments(
    manager: EntityManager,
    service: string,
    version: string,
    artifactSha256: string,
  ): Promise<Set<string>> {
    const rows = await manager.getRepository(DeploymentEntity).find({
      select: { environment: true },
      where: { service, version, artifactSha256, status: 'succeeded' },
    });
    return new Set(rows.map((row) => row.environment).filter((env): env is string => env !== null));
  }

  finishedIn(
    manager: EntityManager,
    service: string,
    environment: string,
    since: Date,
  ): Promise<DeploymentEntity[]> {
    return manager
      .getRepository(DeploymentEntity)
      .createQueryBuilder('d')
      .where('d.service = :service AND d.environment = :environment AND d.finished_at > :since', {
        service,
        environment,
        since,
      })
      .andWhere({ status: In(['succeeded', 'failed', 'rolled_back']) })
      .orderBy('d.finished_at', 'ASC')
      .getMany();
  }

  async save(manager: EntityManager, deployment: DeploymentEntity): Promise<void> {
    await manager.getRepository(DeploymentEntity).save(deployment);
  }
}
