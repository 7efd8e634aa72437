import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  PoolDrainRequested,
  PoolEnableRequested,
  PoolOperationFailed,
  PoolServerDrained,
  PoolServerEnabled,
} from '@conveyor/contracts';
import type { ServerIntent } from '../domain/pool-state.types';

export type OperationKind = 'drain' | 'enable';
export type OperationStatus = 'pending' | 'running' | 'succeeded' | 'failed';
export type OperationOutcome = PoolServerDrained | PoolServerEnabled | PoolOperationFailed;
export type OperationRequest =
  | { readonly kind: 'drain'; readonly data: PoolDrainRequested }
  | { readonly kind: 'enable'; readonly data: PoolEnableRequested };

/** A drain or enable request, recorded by the handler and carried out by the worker. */
@Entity({ name: 'pool_operation' })
export class PoolOperationEntity {
  @PrimaryColumn({ name: 'operation_id', type: 'uuid' })
  operationId!: string;

  @Column({ type: 'text' })
  kind!: OperationKind;

  @Column({ type: 'text' })
  pool!: string;

  @Column({ type: 'jsonb' })
  request!: OperationRequest;

  @Column({ type: 'text' })
  status!: OperationStatus;

  /** The servers' intended states before the operation: what a failure puts back. */
  @Column({ type: 'jsonb', nullable: true })
  prior!: ServerIntent[] | null;

  /** The event data the operation ended with. */
  @Column({ type: 'jsonb', nullable: true })
  outcome!: OperationOutcome | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'causation_id', type: 'uuid', nullable: true })
  causationId!: string | null;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** The replica running it (its lease); null when nobody holds it. */
  @Column({ name: 'lease_owner', type: 'text', nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  /** How many times a replica claimed it (1 unless a run was interrupted). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;
}
