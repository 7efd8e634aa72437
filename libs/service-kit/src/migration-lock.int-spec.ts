import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@conveyor/testing';
import { openServiceDatabase } from '@conveyor/persistence';

const SCHEMA = 'replicated';

/** Not idempotent on purpose (a second run fails), slow enough for starts to overlap. */
class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "${SCHEMA}".widgets (id int PRIMARY KEY)`);
    await runner.query(`CREATE TABLE "${SCHEMA}".migration_runs (at timestamptz NOT NULL DEFAULT now())`);
    await sleep(300);
    await runner.query(`INSERT INTO "${SCHEMA}".migration_runs DEFAULT VALUES`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${SCHEMA}".migration_runs`);
    await runner.query(`DROP TABLE "${SCHEMA}".widgets`);
  }
}

class AddWidgetName1700000000001 implements MigrationInterface {
  name = 'AddWidgetName1700000000001';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "${SCHEMA}".widgets ADD COLUMN name text`);
    await runner.query(`INSERT INTO "${SCHEMA}".migration_runs DEFAULT VALUES`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "${SCHEMA}".widgets DROP COLUMN name`);
  }
}

describe('openServiceDatabase: N replicas starting together on a fresh database', () => {
  let database: TestDatabase;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
    await database?.drop();
  });

  it('create the schema and run each migration once, without error', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        openServiceDatabase({
          url: database.url,
          schema: SCHEMA,
          migrations: [CreateWidgets1700000000000, AddWidgetName1700000000001],
          poolSize: 2,
        }),
      ),
    );
    for (const result of results) if (result.status === 'fulfilled') opened.push(result.value);
    expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    const [first] = opened;
    const runs: { count: string }[] = await first.query(`SELECT count(*) FROM "${SCHEMA}".migration_runs`);
    expect(Number(runs[0].count)).toBe(2);
    const applied: { name: string }[] = await first.query(
      `SELECT name FROM "${SCHEMA}".migrations ORDER BY id`,
    );
    expect(applied.map((row) => row.name)).toEqual([
      'CreateWidgets1700000000000',
      'AddWidgetName1700000000001',
    ]);
    // The lock is given back: nobody holds it once every replica has started.
    const held: { count: string }[] = await first.query(
      `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(Number(held[0].count)).toBe(0);
  }, 60_000);
});
