import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pipeline schema: API tokens (sha256 only), versioned service manifests, pipeline runs,
 * their stages and artifacts, promotions and their approvals, and the read model of deployments.
 */
export class PipelineSchema1733100000000 implements MigrationInterface {
  name = 'PipelineSchema1733100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE pipeline.api_tokens (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      role text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      revoked_at timestamptz
    )`);
    await runner.query(`CREATE TABLE pipeline.service_manifests (
      service text NOT NULL,
      version integer NOT NULL CHECK (version > 0),
      manifest json NOT NULL, -- json, not jsonb: the order of environments is the promotion order
      content_hash text NOT NULL,
      applied_by text NOT NULL,
      applied_at timestamptz NOT NULL,
      PRIMARY KEY (service, version)
    )`);
    await runner.query(`CREATE TABLE pipeline.pipeline_runs (
      id uuid PRIMARY KEY,
      service text NOT NULL,
      version text NOT NULL,
      commit text NOT NULL,
      branch text NOT NULL,
      job_url text,
      build_number integer,
      committed_at timestamptz,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await runner.query(`CREATE UNIQUE INDEX pipeline_runs_identity ON pipeline.pipeline_runs
      (service, version, commit, coalesce(job_url, ''), coalesce(build_number, -1))`);
    await runner.query(`CREATE TABLE pipeline.pipeline_stages (
      run_id uuid NOT NULL REFERENCES pipeline.pipeline_runs(id),
      name text NOT NULL,
      environment text,
      status text NOT NULL,
      started_at timestamptz,
      finished_at timestamptz,
      tests jsonb,
      reported_at timestamptz NOT NULL,
      PRIMARY KEY (run_id, name)
    )`);
    await runner.query(`CREATE TABLE pipeline.artifacts (
      id uuid PRIMARY KEY,
      service text NOT NULL,
      version text NOT NULL,
      url text NOT NULL,
      sha256 text NOT NULL,
      size bigint,
      run_id uuid NOT NULL REFERENCES pipeline.pipeline_runs(id),
      published_by text NOT NULL,
      published_at timestamptz NOT NULL,
      UNIQUE (service, version)
    )`);
    await runner.query(`CREATE TABLE pipeline.promotions (
      id uuid PRIMARY KEY,
      service text NOT NULL,
      version text NOT NULL,
      from_environment text,
      to_environment text NOT NULL,
      status text NOT NULL,
      requested_by text NOT NULL,
      approvals_required integer NOT NULL,
      deployment_id uuid,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await runner.query(`CREATE UNIQUE INDEX promotions_one_open ON pipeline.promotions (service, to_environment, version)
      WHERE status IN ('awaiting_approval', 'deploying')`);
    await runner.query(`CREATE TABLE pipeline.approvals (
      id uuid PRIMARY KEY,
      promotion_id uuid NOT NULL REFERENCES pipeline.promotions(id),
      approver text NOT NULL,
      plan_hash text NOT NULL,
      artifact_sha256 text NOT NULL,
      approved_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      UNIQUE (promotion_id, approver, plan_hash, artifact_sha256)
    )`);
    await runner.query(`CREATE TABLE pipeline.deployments (
      id uuid PRIMARY KEY,
      service text,
      environment text,
      version text,
      status text NOT NULL,
      manifest_version integer,
      promotion_id uuid,
      committed_at timestamptz,
      finished_at timestamptz,
      view jsonb NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await runner.query(
      `CREATE INDEX deployments_service_environment ON pipeline.deployments (service, environment, updated_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'deployments',
      'approvals',
      'promotions',
      'artifacts',
      'pipeline_stages',
      'pipeline_runs',
      'service_manifests',
      'api_tokens',
    ]) {
      await runner.query(`DROP TABLE pipeline.${table}`);
    }
  }
}
