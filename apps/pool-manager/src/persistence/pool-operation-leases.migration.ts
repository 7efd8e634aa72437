import type { MigrationInterface, QueryRunner } from 'typeorm';
import { POOL_MANAGER_SCHEMA } from './pool-manager-tables.migration';

/**
 * Leases on operations: a replica claims an operation (`FOR UPDATE SKIP LOCKED`) before it runs it,
 * renews the lease while it runs, and only the holder records the outcome.
 */
export class PoolOperationLeases1765000000000 implements MigrationInterface {
  name = 'PoolOperationLeases1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "${POOL_MANAGER_SCHEMA}".pool_operation
      ADD COLUMN lease_owner text,
      ADD COLUMN lease_until timestamptz,
      ADD COLUMN attempts integer NOT NULL DEFAULT 0`);
    await runner.query(
      `CREATE INDEX pool_operation_unfinished_per_pool ON "${POOL_MANAGER_SCHEMA}".pool_operation (pool, created_at, operation_id) WHERE status IN ('pending', 'running')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "${POOL_MANAGER_SCHEMA}".pool_operation_unfinished_per_pool`);
    await runner.query(`ALTER TABLE "${POOL_MANAGER_SCHEMA}".pool_operation
      DROP COLUMN attempts, DROP COLUMN lease_until, DROP COLUMN lease_owner`);
  }
}
