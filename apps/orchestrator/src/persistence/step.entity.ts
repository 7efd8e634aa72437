import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StepKind, StepStatus } from '../domain/deployment-state.types';

/** One issued step; the primary key makes issuing a step id twice fail its transaction. */
@Entity({ name: 'steps' })
export class StepEntity {
  @PrimaryColumn({ name: 'step_id', type: 'text' })
  stepId!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ name: 'deployment_id', type: 'uuid' })
  deploymentId!: string;

  @Column({ type: 'text' })
  kind!: StepKind;

  @Column({ name: 'batch_index', type: 'integer', nullable: true })
  batchIndex!: number | null;

  @Column({ type: 'text', array: true })
  servers!: string[];

  @Column({ type: 'text' })
  purpose!: 'forward' | 'recovery';

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'text' })
  status!: StepStatus;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'deadline_at', type: 'timestamptz' })
  deadlineAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;
}
