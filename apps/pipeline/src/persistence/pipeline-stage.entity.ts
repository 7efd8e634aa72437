import { Column, Entity, PrimaryColumn } from 'typeorm';

export type StageStatus = 'running' | 'succeeded' | 'failed' | 'skipped';
export interface StageTests {
  total: number;
  failed: number;
  skipped: number;
}

/** The last report of one stage of a run (a report repeated by a retry changes nothing). */
@Entity({ schema: 'pipeline', name: 'pipeline_stages' })
export class PipelineStageEntity {
  @PrimaryColumn('uuid', { name: 'run_id' }) runId!: string;
  @PrimaryColumn('text') name!: string;
  @Column('text', { nullable: true }) environment!: string | null;
  @Column('text') status!: StageStatus;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('jsonb', { nullable: true }) tests!: StageTests | null;
  @Column('timestamptz', { name: 'reported_at' }) reportedAt!: Date;
}
