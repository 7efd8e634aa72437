import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteSchemaName } from '@conveyor/persistence';

export function apiIdentitiesTable(schema: string): string {
  return `${quoteSchemaName(schema)}.api_identities`;
}

/**
 * The service's own read model of the pipeline's API tokens (never the pipeline's table): the
 * sha256 of each secret, its holder, role, expiry and revocation. `token_hash` is null for a
 * token whose revocation arrived before its issuance.
 */
export function identityTablesMigration(schema: string): new () => MigrationInterface {
  const table = apiIdentitiesTable(schema);
  return class ApiIdentities1733500000000 implements MigrationInterface {
    name = 'ApiIdentities1733500000000';

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE TABLE ${table} (
        token_id uuid PRIMARY KEY,
        token_hash char(64) UNIQUE,
        name text NOT NULL,
        role text NOT NULL,
        issued_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${table}`);
    }
  };
}
