import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ServiceManifestEntity } from '../persistence/service-manifest.entity';

/** The only place that touches the service_manifests table. */
@Injectable()
export class ManifestsRepository {
  /** Serializes changes to one service's catalogue entry until the transaction ends (SQL: an advisory lock). */
  async lockService(manager: EntityManager, service: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('pipeline.service:' || $1))`, [service]);
  }

  latest(manager: EntityManager, service: string): Promise<ServiceManifestEntity | null> {
    return manager
      .getRepository(ServiceManifestEntity)
      .findOne({ where: { service }, order: { version: 'DESC' } });
  }

  byVersion(manager: EntityManager, service: string, version: number): Promise<ServiceManifestEntity | null> {
    return manager.getRepository(ServiceManifestEntity).findOne({ where: { service, version } });
  }

  /** The latest version of every service. */
  async latestOfEach(manager: EntityManager): Promise<ServiceManifestEntity[]> {
    return manager
      .getRepository(ServiceManifestEntity)
      .createQueryBuilder('m')
      .distinctOn(['m.service'])
      .orderBy('m.service', 'ASC')
      .addOrderBy('m.version', 'DESC')
      .getMany();
  }

  async insert(manager: EntityManager, manifest: ServiceManifestEntity): Promise<void> {
    await manager.getRepository(ServiceManifestEntity).insert(manifest);
  }
}
