import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ArtifactEntity } from '../persistence/artifact.entity';
import { PipelineRunEntity } from '../persistence/pipeline-run.entity';
import { PipelineStageEntity } from '../persistence/pipeline-stage.entity';

/** The only place that touches runs, stages and artifacts. */
@Injectable()
export class RunsRepository {
  /**
   * Serializes reports about one build until the transaction ends (Jenkins retries may race).
   * SQL: an advisory lock.
   */
  async lockKey(manager: EntityManager, key: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('pipeline.run:' || $1))`, [key]);
  }

  findRun(manager: EntityManager, id: string): Promise<PipelineRunEntity | null> {
    return manager.getRepository(PipelineRunEntity).findOne({ where: { id } });
  }

  findSameRun(
    manager: EntityManager,
    run: Pick<PipelineRunEntity, 'service' | 'version' | 'commit' | 'jobUrl' | 'buildNumber'>,
  ) {
    return manager
      .getRepository(PipelineRunEntity)
      .createQueryBuilder('r')
      .where('r.service = :service AND r.version = :version AND r.commit = :commit', run)
      .andWhere(`coalesce(r.job_url, '') = :jobUrl AND coalesce(r.build_number, -1) = :buildNumber`, {
        jobUrl: run.jobUrl ?? '',
        buildNumber: run.buildNumber ?? -1,
      })
      .getOne();
  }

  listRuns(manager: EntityManager, service: string | undefined, limit: number): Promise<PipelineRunEntity[]> {
    return manager.getRepository(PipelineRunEntity).find({
      where: service === undefined ? {} : { service },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  async insertRun(manager: EntityManager, run: PipelineRunEntity): Promise<void> {
    await manager.getRepository(PipelineRunEntity).insert(run);
  }

  stages(manager: EntityManager, runId: string): Promise<PipelineStageEntity[]> {
    return manager
      .getRepository(PipelineStageEntity)
      .find({ where: { runId }, order: { reportedAt: 'ASC' } });
  }

  async saveStage(manager: EntityManager, stage: PipelineStageEntity): Promise<void> {
    await manager.getRepository(PipelineStageEntity).save(stage);
  }

  artifactsOfRun(manager: EntityManager, runId: string): Promise<ArtifactEntity[]> {
    return manager.getRepository(ArtifactEntity).find({ where: { runId }, order: { publishedAt: 'ASC' } });
  }

  artifact(manager: EntityManager, service: string, version: string): Promise<ArtifactEntity | null> {
    return manager.getRepository(ArtifactEntity).findOne({ where: { service, version } });
  }

  async saveArtifact(manager: EntityManager, artifact: ArtifactEntity): Promise<void> {
    await manager.getRepository(ArtifactEntity).save(artifact);
  }
}
