import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeploymentState, DeploymentStatus } from '../domain/deployment-state.types';

/** A deployment: its whole state machine state, its next deadline and its lease. */
@Entity({ name: 'deployments' })
export class DeploymentEntity {
  @PrimaryColumn({ name: 'deployment_id', type: 'uuid' })
  deploymentId!: string;

  @Column({ type: 'text' })
  service!: string;

  @Column({ type: 'text' })
  environment!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'text' })
  status!: DeploymentStatus;

  /** Not terminal: holds the service/environment's one-at-a-time slot. */
  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'jsonb' })
  state!: DeploymentState;

  @Column({ name: 'wake_at', type: 'timestamptz', nullable: true })
  wakeAt!: Date | null;

  @Column({ name: 'lease_owner', type: 'text', nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
