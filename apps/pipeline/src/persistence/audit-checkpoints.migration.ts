import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log's signed checkpoints as the pipeline saw them announced (`audit.checkpoint.created`):
 * a copy outside the audit schema, so removing the chain's tail and its checkpoints in the audit
 * schema leaves evidence here (the last checkpoints are kept).
 */
export class PipelineAuditCheckpoints1765000000100 implements MigrationInterface {
  name = 'PipelineAuditCheckpoints1765000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE pipeline.audit_checkpoints (
      seq bigint PRIMARY KEY,
      head_hash text NOT NULL,
      time text NOT NULL,
      key_id text NOT NULL,
      signature text NOT NULL,
      event_id uuid NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE pipeline.audit_checkpoints`);
  }
}
