import { Column, Entity, PrimaryColumn } from 'typeorm';

const bigintAsNumber = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** The artifact of a service version: where it is and its sha256 (what approvals are bound to). */
@Entity({ schema: 'pipeline', name: 'artifacts' })
export class ArtifactEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') service!: string;
  @Column('text') version!: string;
  @Column('text') url!: string;
  @Column('text') sha256!: string;
  @Column('bigint', { nullable: true, transformer: bigintAsNumber }) size!: number | null;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('text', { name: 'published_by' }) publishedBy!: string;
  @Column('timestamptz', { name: 'published_at' }) publishedAt!: Date;
}
