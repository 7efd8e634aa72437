import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AdminState } from '../domain/pool-state.types';

/** The state the pool manager wants a server in, in both backends of its pool, on every instance. */
@Entity({ name: 'server_intent' })
export class ServerIntentEntity {
  @PrimaryColumn({ type: 'text' })
  pool!: string;

  @PrimaryColumn({ type: 'text' })
  server!: string;

  @Column({ name: 'online_state', type: 'text' })
  onlineState!: AdminState;

  @Column({ name: 'maintenance_state', type: 'text' })
  maintenanceState!: AdminState;

  /** The operation that set it last. */
  @Column({ name: 'operation_id', type: 'uuid', nullable: true })
  operationId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
