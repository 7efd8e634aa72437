import type { MigrationInterface, QueryRunner } from 'typeorm';

export const POOL_MANAGER_SCHEMA = 'pool_manager';

/** Intended server states and the drain/enable operations (schema pool_manager). */
export class PoolManagerTables1733000000000 implements MigrationInterface {
  name = 'PoolManagerTables1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "${POOL_MANAGER_SCHEMA}".server_intent (
      pool text NOT NULL,
      server text NOT NULL,
      online_state text NOT NULL CHECK (online_state IN ('ready', 'drain', 'maint')),
      maintenance_state text NOT NULL CHECK (maintenance_state IN ('ready', 'drain', 'maint')),
      operation_id uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (pool, server)
    )`);
    await runner.query(`CREATE TABLE "${POOL_MANAGER_SCHEMA}".pool_operation (
      operation_id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('drain', 'enable')),
      pool text NOT NULL,
      request jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
      prior jsonb,
      outcome jsonb,
      correlation_id text NOT NULL,
      causation_id uuid,
      actor text NOT NULL,
      subject text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await runner.query(
      `CREATE INDEX pool_operation_unfinished ON "${POOL_MANAGER_SCHEMA}".pool_operation (created_at) WHERE status IN ('pending', 'running')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${POOL_MANAGER_SCHEMA}".pool_operation`);
    await runner.query(`DROP TABLE "${POOL_MANAGER_SCHEMA}".server_intent`);
  }
}
