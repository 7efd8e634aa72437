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

/** Connects, makes sure the service's schema exists and runs its pending migrations. */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchemaName(options.schema)}`);
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
