import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Jenkins build of a service version. */
@Entity({ schema: 'pipeline', name: 'pipeline_runs' })
export class PipelineRunEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') service!: string;
  @Column('text') version!: string;
  @Column('text') commit!: string;
  @Column('text') branch!: string;
  @Column('text', { name: 'job_url', nullable: true }) jobUrl!: string | null;
  @Column('integer', { name: 'build_number', nullable: true }) buildNumber!: number | null;
  @Column('timestamptz', { name: 'committed_at', nullable: true }) committedAt!: Date | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
