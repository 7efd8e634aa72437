import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_WRITER_GROUP } from '@conveyor/persistence';

/** The role the service reads and appends as: no UPDATE, DELETE or TRUNCATE on the chain. */
export const AUDIT_WRITER_ROLE = AUDIT_WRITER_GROUP;

/**
 * The audit schema: the append-only chain of entries (triggers refuse UPDATE, DELETE and
 * TRUNCATE, even for the owner), its head row (locked by every append so batches never fork),
 * the signed checkpoints (append-only too) and the signed manifests of exports. The role
 * `conveyor_audit_writer` gets SELECT and INSERT only on the chain; the service's runtime login
 * (`conveyor_audit`) is a member of it and of nothing else — it never logs in as the owner who runs
 * this migration (see docs/security/database.md). The role is created by
 * deploy/postgres/conveyor-logins.sql; creating it here only covers an administrator's login.
 */
export class AuditSchema1733000000000 implements MigrationInterface {
  name = 'AuditSchema1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE audit.entries (
      seq bigint PRIMARY KEY CHECK (seq > 0),
      event_id uuid NOT NULL UNIQUE,
      type text NOT NULL,
      subject text,
      correlation_id text,
      actor text NOT NULL,
      time text NOT NULL,
      occurred_at timestamptz NOT NULL,
      payload text NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX entries_occurred_at ON audit.entries (occurred_at, seq)`);
    await runner.query(`CREATE INDEX entries_type ON audit.entries (type, seq)`);
    await runner.query(
      `CREATE INDEX entries_subject ON audit.entries (subject, seq) WHERE subject IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX entries_correlation_id ON audit.entries (correlation_id, seq) WHERE correlation_id IS NOT NULL`,
    );
    await runner.query(`CREATE INDEX entries_actor ON audit.entries (actor, seq)`);
    await runner.query(`CREATE TABLE audit.chain_head (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      seq bigint NOT NULL,
      hash text NOT NULL
    )`);
    await runner.query(`INSERT INTO audit.chain_head (seq, hash) VALUES (0, repeat('0', 64))`);
    await runner.query(`CREATE TABLE audit.checkpoints (
      seq bigint PRIMARY KEY,
      head_hash text NOT NULL,
      time text NOT NULL,
      signature text NOT NULL,
      key_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE audit.export_manifests (
      id uuid PRIMARY KEY,
      manifest text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['entries', 'checkpoints']) {
      await runner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON audit.${table}
        FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
      await runner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON audit.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
    }
    // Roles belong to the cluster: create it once, tolerating a concurrent migration elsewhere.
    await runner.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_WRITER_ROLE}') THEN
          CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await runner.query(`GRANT USAGE ON SCHEMA audit TO ${AUDIT_WRITER_ROLE}`);
    await runner.query(
      `GRANT SELECT, INSERT ON audit.entries, audit.checkpoints, audit.export_manifests TO ${AUDIT_WRITER_ROLE}`,
    );
    await runner.query(`GRANT SELECT, UPDATE ON audit.chain_head TO ${AUDIT_WRITER_ROLE}`);
    await runner.query(`GRANT SELECT, INSERT ON audit.outbox TO ${AUDIT_WRITER_ROLE}`);
    await runner.query(`GRANT USAGE ON SEQUENCE audit.outbox_id_seq TO ${AUDIT_WRITER_ROLE}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM ${AUDIT_WRITER_ROLE}`);
    await runner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA audit FROM ${AUDIT_WRITER_ROLE}`);
    await runner.query(`REVOKE USAGE ON SCHEMA audit FROM ${AUDIT_WRITER_ROLE}`);
    await runner.query(
      `DROP TABLE audit.export_manifests, audit.checkpoints, audit.chain_head, audit.entries`,
    );
    await runner.query(`DROP FUNCTION audit.refuse_change()`);
  }
}
