import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Verifications, bakes and aborted deployments (schema `verifier`). */
export class VerifierTables1733000000000 implements MigrationInterface {
  name = 'VerifierTables1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE verifier.verifications (
      verification_id uuid PRIMARY KEY,
      deployment_id uuid NOT NULL,
      batch_index integer NOT NULL,
      request jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'running', 'passed', 'failed')),
      correlation_id text NOT NULL,
      causation_id uuid NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      deadline_at timestamptz,
      finished_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      lease_owner text,
      lease_until timestamptz,
      reason text,
      outcome jsonb
    )`);
    await runner.query(`CREATE INDEX verifications_unfinished ON verifier.verifications (received_at)
      WHERE status IN ('pending', 'running')`);
    await runner.query(`CREATE INDEX verifications_deployment ON verifier.verifications (deployment_id)`);
    await runner.query(`CREATE TABLE verifier.bakes (
      bake_id uuid PRIMARY KEY,
      deployment_id uuid NOT NULL,
      request jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'running', 'healthy', 'degraded', 'cancelled')),
      correlation_id text NOT NULL,
      causation_id uuid NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      ends_at timestamptz NOT NULL,
      finished_at timestamptz,
      probes integer NOT NULL DEFAULT 0,
      attempts integer NOT NULL DEFAULT 0,
      lease_owner text,
      lease_until timestamptz,
      detail text
    )`);
    await runner.query(
      `CREATE INDEX bakes_unfinished ON verifier.bakes (received_at) WHERE status IN ('pending', 'running')`,
    );
    await runner.query(`CREATE INDEX bakes_deployment ON verifier.bakes (deployment_id)`);
    await runner.query(`CREATE TABLE verifier.aborted_deployments (
      deployment_id uuid PRIMARY KEY,
      reason text NOT NULL,
      aborted_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE verifier.aborted_deployments`);
    await runner.query(`DROP TABLE verifier.bakes`);
    await runner.query(`DROP TABLE verifier.verifications`);
  }
}
