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
  /**
   * The database is unreachable for `ms`, as during a restart or failover: no new connection is
   * allowed and every open one is terminated, again every 500 ms; then connections are allowed
   * again. Other databases of the cluster (other test files) are untouched. Resolves with how
   * many connections were terminated.
   */
  outage(ms: number): Promise<number>;
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
    outage: (ms) =>
      withAdmin(ADMIN_URL, async (admin) => {
        let terminated = 0;
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        try {
          const ends = Date.now() + ms;
          while (Date.now() < ends) {
            const { rowCount } = await admin.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
              [name],
            );
            terminated += rowCount ?? 0;
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        } finally {
          await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        }
        return terminated;
      }),
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
