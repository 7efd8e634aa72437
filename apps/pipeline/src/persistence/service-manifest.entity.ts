import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ServiceManifest } from '@conveyor/contracts';

/** One version of a service's manifest; versions are never changed, a change is a new version. */
@Entity({ schema: 'pipeline', name: 'service_manifests' })
export class ServiceManifestEntity {
  @PrimaryColumn('text') service!: string;
  @PrimaryColumn('integer') version!: number;
  /** json, not jsonb: jsonb reorders keys, and the order of environments is the promotion order. */
  @Column('json') manifest!: ServiceManifest;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text', { name: 'applied_by' }) appliedBy!: string;
  @Column('timestamptz', { name: 'applied_at' }) appliedAt!: Date;
}
