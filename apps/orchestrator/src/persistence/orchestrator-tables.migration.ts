import type { MigrationInterface, QueryRunner } from 'typeorm';

export const ORCHESTRATOR_SCHEMA = 'orchestrator';
const S = ORCHESTRATOR_SCHEMA;

/** Deployments (state, deadline, lease), their steps, the commands sent, and agents' liveness. */
export class OrchestratorTables1734000000000 implements MigrationInterface {
  name = 'OrchestratorTables1734000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "${S}".deployments (
      deployment_id uuid PRIMARY KEY,
      service text NOT NULL,
      environment text NOT NULL,
      version text NOT NULL,
      status text NOT NULL,
      active boolean NOT NULL,
      state jsonb NOT NULL,
      wake_at timestamptz,
      lease_owner text,
      lease_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    // One deployment at a time per service and environment, enforced by the database too.
    await runner.query(
      `CREATE UNIQUE INDEX deployments_one_active ON "${S}".deployments (service, environment) WHERE active`,
    );
    await runner.query(
      `CREATE INDEX deployments_due ON "${S}".deployments (wake_at) WHERE active AND wake_at IS NOT NULL`,
    );
    await runner.query(`CREATE TABLE "${S}".steps (
      step_id text PRIMARY KEY,
      request_id uuid NOT NULL UNIQUE,
      deployment_id uuid NOT NULL REFERENCES "${S}".deployments (deployment_id),
      kind text NOT NULL,
      batch_index integer,
      servers text[] NOT NULL,
      purpose text NOT NULL,
      attempt integer NOT NULL,
      status text NOT NULL,
      issued_at timestamptz NOT NULL,
      deadline_at timestamptz NOT NULL,
      finished_at timestamptz,
      detail text
    )`);
    await runner.query(`CREATE INDEX steps_deployment ON "${S}".steps (deployment_id)`);
    await runner.query(`CREATE TABLE "${S}".agent_commands (
      command_id uuid PRIMARY KEY,
      step_id text NOT NULL REFERENCES "${S}".steps (step_id),
      deployment_id uuid NOT NULL,
      node_id text NOT NULL,
      kind text NOT NULL,
      issued_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE "${S}".agents (
      node_id text PRIMARY KEY,
      facts jsonb NOT NULL,
      current_version text,
      last_heartbeat_at timestamptz NOT NULL,
      interval_ms integer,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${S}".agents`);
    await runner.query(`DROP TABLE "${S}".agent_commands`);
    await runner.query(`DROP TABLE "${S}".steps`);
    await runner.query(`DROP TABLE "${S}".deployments`);
  }
}
