import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An API token: only its sha256 is stored; the token itself is shown once, when it is created. */
@Entity({ schema: 'pipeline', name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryColumn('uuid') id!: string;
  /** Who holds it (a person or a machine): the actor of everything done with it. */
  @Column('text') name!: string;
  @Column('text') role!: string;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
