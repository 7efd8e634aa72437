import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A deployment that was aborted: its verifications and bakes stop, new ones are refused. */
@Entity({ schema: 'verifier', name: 'aborted_deployments' })
export class AbortedDeploymentEntity {
  @PrimaryColumn({ name: 'deployment_id', type: 'uuid' })
  deploymentId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'aborted_at', type: 'timestamptz' })
  abortedAt!: Date;
}
