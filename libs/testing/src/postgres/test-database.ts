import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  databaseLoginStatements,
  databaseLogins,
  SERVICE_SCHEMAS,
  type ConveyorService,
  type DatabaseLogins,
} from '@conveyor/persistence';

export interface TestDatabase {
  name: string;
  /** The administrator's (superuser's) URL: for the test's own checks and the DBA's view. */
  url: string;
  /** The login roles of this database (`<name>_pipeline`, …, `<name>_audit_owner`). */
  logins: DatabaseLogins;
  /** A service's runtime login, owning only its schema (audit: append-only), as production runs it. */
  loginUrl(service: ConveyorService): string;
  /** The audit schema owner's login: migrations only (and the DBA scenario of the red-team tests). */
  auditOwnerUrl: string;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A throw-away database for one test file, with one login role per service created in it the way
 * `deploy/postgres/conveyor-logins.sql` creates them in production (roles are cluster-wide, so
 * they are named after the database); `drop()` removes the database (closing stray connections)
 * and its roles.
 */
export async function createTestDatabase(prefix = 'conveyor_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(ADMIN_URL, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(ADMIN_URL, name);
  const logins = databaseLogins(`${name}_`);
  await withAdmin(url, async (admin) => {
    for (const statement of databaseLoginStatements({ database: name, rolePrefix: `${name}_` }))
      await admin.query(statement);
  });
  return {
    name,
    url,
    logins,
    loginUrl: (service) => serviceLoginUrl(url, service),
    auditOwnerUrl: auditOwnerLoginUrl(url),
    drop: async () => {
      await withAdmin(ADMIN_URL, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        for (const role of [...Object.values(logins.runtime), logins.auditOwner])
          await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      });
    },
  };
}

/**
 * The runtime login URL of `service` in a database made by createTestDatabase, from that database's
 * URL (harnesses receive the URL; the role is `<database>_<schema>`).
 */
export function serviceLoginUrl(testDatabaseUrl: string, service: ConveyorService): string {
  const url = new URL(testDatabaseUrl);
  url.username = `${url.pathname.slice(1)}_${SERVICE_SCHEMAS[service]}`;
  url.password = '';
  return url.toString();
}

/** The audit schema owner's login URL in a database made by createTestDatabase. */
export function auditOwnerLoginUrl(testDatabaseUrl: string): string {
  const url = new URL(testDatabaseUrl);
  url.username = databaseLogins(`${url.pathname.slice(1)}_`).auditOwner;
  url.password = '';
  return url.toString();
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(connectionString: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
