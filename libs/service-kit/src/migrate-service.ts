import type { z } from 'zod';
import { messagingTablesMigration } from '@conveyor/messaging';
import { openServiceDatabase, quoteSchemaName } from '@conveyor/persistence';
import type { MigrationInterface } from 'typeorm';
import { identityTablesMigration } from './api-auth/identity-tables.migration';
import { baseServiceEnv, ConfigError, loadEnv } from './service-env';
import type { ServiceSpec } from './run-service';

/** What a migration run reads of a service's spec (nothing that depends on its environment). */
export type MigratedService = Pick<ServiceSpec, 'name' | 'schema' | 'apiAuth' | 'migrations'>;

/** The argument that makes a service's entry point run its migrations and exit (the migration Job). */
export const MIGRATE_COMMAND = 'migrate';

/** What a migration run needs: the database only (no broker, no keys, no tokens). */
export const migrateEnv = baseServiceEnv.pick({ DATABASE_URL: true });
export type MigrateEnv = z.infer<typeof migrateEnv>;

/** Every migration of a service in the order the kit runs them: outbox/inbox, API tokens, its own. */
export function serviceMigrations(
  spec: Pick<MigratedService, 'schema' | 'apiAuth' | 'migrations'>,
): (new () => MigrationInterface)[] {
  return [
    messagingTablesMigration(spec.schema),
    ...(spec.apiAuth ? [identityTablesMigration(spec.schema)] : []),
    ...(spec.migrations ?? []),
  ];
}

/**
 * Creates the service's schema and runs its pending migrations, then closes the connection. What
 * the migration Job runs (`main.js migrate`) before a new version's pods start; the same as a
 * service does at boot, so either order is safe.
 */
export async function migrateService(spec: MigratedService, env: MigrateEnv): Promise<number> {
  const dataSource = await openServiceDatabase({
    url: env.DATABASE_URL,
    schema: spec.schema,
    migrations: serviceMigrations(spec),
    poolSize: 1,
  });
  try {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS applied FROM ${quoteSchemaName(spec.schema)}.migrations`,
    )) as { applied: number }[];
    return row?.applied ?? 0;
  } finally {
    await dataSource.destroy();
  }
}

/** `main.js migrate`: validates DATABASE_URL, migrates, exits 0 (or 2 for bad config, 1 on failure). */
export async function runMigrationsAndExit(spec: MigratedService): Promise<never> {
  let env: MigrateEnv;
  try {
    env = loadEnv(`${spec.name} migrate`, migrateEnv);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  try {
    const applied = await migrateService(spec, env);
    process.stdout.write(
      `${JSON.stringify({ service: spec.name, schema: spec.schema, migrationsApplied: applied, msg: 'migrated' })}\n`,
    );
    process.exit(0);
  } catch (error) {
    process.stderr.write(
      `${spec.name} migrations failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
