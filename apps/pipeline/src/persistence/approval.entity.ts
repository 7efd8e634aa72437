import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One approval, bound to the plan hash and the artifact sha256 the approver saw. */
@Entity({ schema: 'pipeline', name: 'approvals' })
export class ApprovalEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'promotion_id' }) promotionId!: string;
  @Column('text') approver!: string;
  /** The approver's API role when they approved. */
  @Column('text', { name: 'approver_role', nullable: true }) approverRole!: string | null;
  @Column('text', { name: 'plan_hash' }) planHash!: string;
  @Column('text', { name: 'artifact_sha256' }) artifactSha256!: string;
  @Column('timestamptz', { name: 'approved_at' }) approvedAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
}
