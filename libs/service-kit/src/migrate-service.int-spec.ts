import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@conveyor/testing';
import { migrateEnv, migrateService, serviceMigrations } from './migrate-service';

class WidgetsTable1733100000000 implements MigrationInterface {
  name = 'WidgetsTable1733100000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "migrated".widgets (id int PRIMARY KEY)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "migrated".widgets`);
  }
}

/** What the migration Job (`main.js migrate`, deploy/k8s/base/migrate-job.yaml) runs, on a real database. */
describe('migrateService (the migration Job)', () => {
  let database: TestDatabase;
  let db: DataSource;
  const spec = { name: 'migrated', schema: 'migrated', apiAuth: {}, migrations: [WidgetsTable1733100000000] };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('creates the schema and runs every migration a booting service would run, and a second run changes nothing', async () => {
    const expected = serviceMigrations(spec).length;
    expect(expected).toBe(3); // outbox/inbox, API tokens, the service's own
    expect(await migrateService(spec, { DATABASE_URL: database.url })).toBe(expected);
    expect(await migrateService(spec, { DATABASE_URL: database.url })).toBe(expected);
    const tables = (await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'migrated' ORDER BY table_name`,
    )) as { table_name: string }[];
    expect(tables.map((row) => row.table_name)).toContain('widgets');
    expect(tables.map((row) => row.table_name)).toContain('migrations');
  });

  it('needs only DATABASE_URL, and names it when it is missing or wrong', () => {
    expect(migrateEnv.safeParse({ DATABASE_URL: 'postgres://u@h:5432/d' }).success).toBe(true);
    const wrong = migrateEnv.safeParse({ DATABASE_URL: 'mysql://x' });
    expect(wrong.success).toBe(false);
    expect(JSON.stringify(wrong.error?.issues)).toContain('DATABASE_URL');
  });
});
