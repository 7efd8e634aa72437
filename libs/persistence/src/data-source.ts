import { errorMessage } from '@conveyor/errors';
import { DataSource, type DataSourceOptions, type MigrationInterface, type MixedList } from 'typeorm';
import { quoteSchemaName } from './schema-name';

export interface ServiceDatabaseOptions {
  url: string;
  /** The service's own schema; no service reads another's tables. */
  schema: string;
  entities?: MixedList<string | (new () => unknown)>;
  migrations: (new () => MigrationInterface)[];
  poolSize?: number;
}

export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    // Never synchronize: the schema changes only through reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    extra: { max: options.poolSize ?? 10, application_name: `conveyor-${options.schema}` },
  };
}

/** First key of the migration advisory lock (`pg_advisory_lock(int, int)`): "mg". */
export const MIGRATION_LOCK_CLASS = 0x6d67;

/**
 * Connects, makes sure the service's schema exists and runs its pending migrations. N replicas
 * starting together on one database migrate once: schema and migrations run under a session-level
 * advisory lock per schema (`pg_advisory_lock(MIGRATION_LOCK_CLASS, hashtext(schema))`) held on a
 * connection of its own; the others wait for it, then find nothing pending. A replica that dies
 * while holding it releases it with its connection.
 * The schema is created only when missing (a login that owns its schema needs no CREATE on the
 * database).
 */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  try {
    await withMigrationLock(dataSource, options.schema, async () => {
      const existing = (await dataSource.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [
        options.schema,
      ])) as unknown[];
      if (existing.length === 0) await dataSource.query(`CREATE SCHEMA ${quoteSchemaName(options.schema)}`);
      await dataSource.runMigrations({ transaction: 'each' });
    });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Runs the service's pending migrations with the schema owner's login and disconnects; the names applied. */
export async function migrateServiceDatabase(options: ServiceDatabaseOptions): Promise<string[]> {
  // Two connections: one holds the migration lock (withMigrationLock), the other migrates.
  const dataSource = await openServiceDatabase({ ...options, poolSize: 2 });
  try {
    const rows = (await dataSource.query(
      `SELECT name FROM ${quoteSchemaName(options.schema)}.migrations ORDER BY id`,
    )) as { name: string }[];
    return rows.map((row) => row.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Connects without migrating, for a runtime login that may not change the schema (the migrations run
 * separately, as the schema owner). Refuses when a migration has not been applied, naming it.
 */
export async function openMigratedServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  try {
    const pending = await pendingMigrations(dataSource, options.schema);
    if (pending.length > 0) {
      throw new Error(
        `schema ${options.schema} is not migrated (pending: ${pending.join(', ')}): run the service's ` +
          '`migrate` command with DATABASE_MIGRATION_URL (the schema owner) first',
      );
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function pendingMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  let applied: Set<string>;
  try {
    const rows = (await dataSource.query(`SELECT name FROM ${quoteSchemaName(schema)}.migrations`)) as {
      name: string;
    }[];
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    throw new Error(
      `cannot read ${schema}.migrations as this login (${errorMessage(error)}): ` +
        "run the service's `migrate` command with DATABASE_MIGRATION_URL (the schema owner) first",
    );
  }
  return dataSource.migrations
    .map((migration) => migration.name ?? migration.constructor.name)
    .filter((name) => !applied.has(name));
}

/** Runs `task` while this process holds the schema's migration lock (waits for another holder). */
export async function withMigrationLock<T>(
  dataSource: DataSource,
  schema: string,
  task: () => Promise<T>,
): Promise<T> {
  const holder = dataSource.createQueryRunner();
  await holder.connect();
  try {
    await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    try {
      return await task();
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    }
  } finally {
    await holder.release();
  }
}
