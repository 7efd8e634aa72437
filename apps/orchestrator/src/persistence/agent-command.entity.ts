import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signed command as sent: maps an agent's refusal (by command id) back to its step. */
@Entity({ name: 'agent_commands' })
export class AgentCommandEntity {
  @PrimaryColumn({ name: 'command_id', type: 'uuid' })
  commandId!: string;

  @Column({ name: 'step_id', type: 'text' })
  stepId!: string;

  @Column({ name: 'deployment_id', type: 'uuid' })
  deploymentId!: string;

  @Column({ name: 'node_id', type: 'text' })
  nodeId!: string;

  @Column({ type: 'text' })
  kind!: 'deploy' | 'rollback' | 'migrate';

  @Column({ name: 'issued_at', type: 'timestamptz', default: () => 'now()' })
  issuedAt!: Date;
}
