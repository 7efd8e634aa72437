import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_WRITER_ROLE } from './audit-schema.migration';

/**
 * The auditor API's read model of people's tokens (`audit.api_identities`, made by service-kit's
 * identity migration) is kept by the runtime login from the pipeline's identity events: it may read,
 * add and update (a revocation) those rows. It is not the chain: the identity events themselves are
 * appended to the chain first, and nothing here grants anything on the entries.
 */
export class AuditIdentityGrants1765000000200 implements MigrationInterface {
  name = 'AuditIdentityGrants1765000000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`GRANT SELECT, INSERT, UPDATE ON audit.api_identities TO ${AUDIT_WRITER_ROLE}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`REVOKE SELECT, INSERT, UPDATE ON audit.api_identities FROM ${AUDIT_WRITER_ROLE}`);
  }
}
