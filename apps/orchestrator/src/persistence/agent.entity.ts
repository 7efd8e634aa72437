import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the orchestrator last heard from an agent: its facts, version and when. */
@Entity({ name: 'agents' })
export class AgentEntity {
  @PrimaryColumn({ name: 'node_id', type: 'text' })
  nodeId!: string;

  @Column({ type: 'jsonb' })
  facts!: Record<string, string>;

  @Column({ name: 'current_version', type: 'text', nullable: true })
  currentVersion!: string | null;

  @Column({ name: 'last_heartbeat_at', type: 'timestamptz' })
  lastHeartbeatAt!: Date;

  @Column({ name: 'interval_ms', type: 'integer', nullable: true })
  intervalMs!: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
