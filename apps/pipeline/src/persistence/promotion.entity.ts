import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FrozenApprovalPolicy } from '@conveyor/contracts';

export type PromotionStatus = 'awaiting_approval' | 'deploying' | 'succeeded' | 'failed';

/** A request to roll a version out to an environment. */
@Entity({ schema: 'pipeline', name: 'promotions' })
export class PromotionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') service!: string;
  @Column('text') version!: string;
  @Column('text', { name: 'from_environment', nullable: true }) fromEnvironment!: string | null;
  @Column('text', { name: 'to_environment' }) toEnvironment!: string;
  @Column('text') status!: PromotionStatus;
  @Column('text', { name: 'requested_by' }) requestedBy!: string;
  @Column('integer', { name: 'approvals_required' }) approvalsRequired!: number;
  /** The approval rule, frozen when the promotion was requested (null: requested before rules were frozen). */
  @Column('jsonb', { nullable: true }) policy!: FrozenApprovalPolicy | null;
  /** The artifact the promotion is for; an artifact never changes once published. */
  @Column('text', { name: 'artifact_sha256', nullable: true }) artifactSha256!: string | null;
  @Column('uuid', { name: 'deployment_id', nullable: true }) deploymentId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
