import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_WRITER_ROLE } from './audit-schema.migration';

/**
 * The service now logs in as its own runtime login (a member of `conveyor_audit_writer`) instead of
 * the schema owner, for everything: so the role also relays the outbox (which deletes what it
 * published; the outbox is not the chain) and reads the migrations table (to refuse to start on an
 * unmigrated schema). Still no UPDATE, DELETE or TRUNCATE on the entries, checkpoints or manifests.
 */
export class AuditRuntimeGrants1765000000000 implements MigrationInterface {
  name = 'AuditRuntimeGrants1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON audit.outbox TO ${AUDIT_WRITER_ROLE}`);
    await runner.query(`GRANT SELECT ON audit.migrations TO ${AUDIT_WRITER_ROLE}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`REVOKE UPDATE, DELETE ON audit.outbox FROM ${AUDIT_WRITER_ROLE}`);
    await runner.query(`REVOKE SELECT ON audit.migrations FROM ${AUDIT_WRITER_ROLE}`);
  }
}
