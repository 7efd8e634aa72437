import { Column, Entity, PrimaryColumn } from 'typeorm';

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
  @Column('uuid', { name: 'deployment_id', nullable: true }) deploymentId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
