import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { VerificationOutcome } from './verification-outcome.type';
import type { VerificationRequested } from '@conveyor/contracts';

export type VerificationStatus = 'pending' | 'running' | 'passed' | 'failed';

/** One verification request and, once done, its outcome. Claimed by a runner under a lease. */
@Entity({ schema: 'verifier', name: 'verifications' })
export class VerificationEntity {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid' })
  verificationId!: string;

  @Column({ name: 'deployment_id', type: 'uuid' })
  deploymentId!: string;

  @Column({ name: 'batch_index', type: 'integer' })
  batchIndex!: number;

  @Column({ type: 'jsonb' })
  request!: VerificationRequested;

  @Column({ type: 'text' })
  status!: VerificationStatus;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'causation_id', type: 'uuid' })
  causationId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** How many times a runner took it up (more than one after a restart). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'lease_owner', type: 'text', nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  outcome!: VerificationOutcome | null;
}
