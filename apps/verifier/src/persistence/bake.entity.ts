import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { VerificationBakeRequested } from '@conveyor/contracts';

export type BakeStatus = 'pending' | 'running' | 'healthy' | 'degraded' | 'cancelled';

/** A bake window: the online servers watched after a deployment completed. */
@Entity({ schema: 'verifier', name: 'bakes' })
export class BakeEntity {
  @PrimaryColumn({ name: 'bake_id', type: 'uuid' })
  bakeId!: string;

  @Column({ name: 'deployment_id', type: 'uuid' })
  deploymentId!: string;

  @Column({ type: 'jsonb' })
  request!: VerificationBakeRequested;

  @Column({ type: 'text' })
  status!: BakeStatus;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'causation_id', type: 'uuid' })
  causationId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  probes!: number;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'lease_owner', type: 'text', nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;
}
