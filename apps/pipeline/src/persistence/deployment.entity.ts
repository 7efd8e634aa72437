import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeploymentStatus, DeploymentView } from '../deployments/deployment-view';

/** The read model of one deployment, folded from the orchestrator's events. */
@Entity({ schema: 'pipeline', name: 'deployments' })
export class DeploymentEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { nullable: true }) service!: string | null;
  @Column('text', { nullable: true }) environment!: string | null;
  @Column('text', { nullable: true }) version!: string | null;
  @Column('text') status!: DeploymentStatus;
  @Column('integer', { name: 'manifest_version', nullable: true }) manifestVersion!: number | null;
  /** The sha256 of the artifact rolled out. */
  @Column('text', { name: 'artifact_sha256', nullable: true }) artifactSha256!: string | null;
  @Column('uuid', { name: 'promotion_id', nullable: true }) promotionId!: string | null;
  @Column('timestamptz', { name: 'committed_at', nullable: true }) committedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('jsonb') view!: DeploymentView;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
