import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Promotions keep the approval policy frozen when they were requested and the artifact sha256 they
 * are for; approvals keep the approver's role; deployments record the sha256 they rolled out.
 * Promotions requested before this migration have no frozen policy and take no more approvals.
 */
export class FrozenPolicy1733200000000 implements MigrationInterface {
  name = 'FrozenPolicy1733200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE pipeline.promotions ADD COLUMN policy jsonb, ADD COLUMN artifact_sha256 text`,
    );
    await runner.query(`ALTER TABLE pipeline.approvals ADD COLUMN approver_role text`);
    await runner.query(`ALTER TABLE pipeline.deployments ADD COLUMN artifact_sha256 text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE pipeline.deployments DROP COLUMN artifact_sha256`);
    await runner.query(`ALTER TABLE pipeline.approvals DROP COLUMN approver_role`);
    await runner.query(`ALTER TABLE pipeline.promotions DROP COLUMN policy, DROP COLUMN artifact_sha256`);
  }
}
