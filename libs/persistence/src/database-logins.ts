import { quoteSchemaName } from './schema-name';

/** The schema of each Conveyor service; each service logs in as its own role and owns only its schema. */
export const SERVICE_SCHEMAS = {
  pipeline: 'pipeline',
  orchestrator: 'orchestrator',
  'pool-manager': 'pool_manager',
  verifier: 'verifier',
  audit: 'audit',
} as const;
export type ConveyorService = keyof typeof SERVICE_SCHEMAS;

/**
 * The NOLOGIN role the audit migration grants the chain's privileges to (SELECT and INSERT on the
 * entries, checkpoints and manifests; nothing that changes or removes them). The audit service's
 * runtime login is a member; the schema owner is a different login, used only for migrations.
 */
export const AUDIT_WRITER_GROUP = 'conveyor_audit_writer';

export interface DatabaseLogins {
  /** The role `<prefix><schema>` each service logs in as at runtime (`conveyor_pipeline`, …). */
  runtime: Record<ConveyorService, string>;
  /** The role that owns the audit schema and runs its migrations; never used at runtime. */
  auditOwner: string;
}

/** Role names for a role prefix: `conveyor_` in production, `<test database>_` in tests. */
export function databaseLogins(prefix: string): DatabaseLogins {
  const runtime = Object.fromEntries(
    Object.entries(SERVICE_SCHEMAS).map(([service, schema]) => [service, `${prefix}${schema}`]),
  ) as Record<ConveyorService, string>;
  const logins = { runtime, auditOwner: `${prefix}audit_owner` };
  for (const role of [...Object.values(runtime), logins.auditOwner]) quoteRoleName(role);
  return logins;
}

export interface DatabaseLoginPlan {
  /** The database the services share (one schema each). */
  database: string;
  /** Prefix of every login role: `conveyor_` in production, unique per test database in tests. */
  rolePrefix: string;
  /**
   * How to set each login's password: a SQL expression (a literal, or a psql variable such as
   * `:'conveyor_pipeline_password'`), or undefined for none (trust or certificate authentication).
   */
  password?: (role: string) => string | undefined;
}

/**
 * The SQL a database administrator runs once (idempotent, safe to run concurrently for different
 * prefixes): one LOGIN role per service owning its own schema; for the audit service a schema owner
 * (for migrations only) and a separate runtime login that is a member of `conveyor_audit_writer`
 * and of nothing else. No login is a superuser, may create roles or databases, or may connect to
 * the database unless listed here.
 */
export function databaseLoginStatements(plan: DatabaseLoginPlan): string[] {
  const logins = databaseLogins(plan.rolePrefix);
  const database = quoteRoleName(plan.database);
  const statements: string[] = [
    createRole(AUDIT_WRITER_GROUP, 'NOLOGIN'),
    `REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`,
  ];
  const login = (role: string) => {
    statements.push(createRole(role, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'));
    const password = plan.password?.(role);
    if (password !== undefined) statements.push(`ALTER ROLE ${quoteRoleName(role)} PASSWORD ${password}`);
    statements.push(`GRANT CONNECT ON DATABASE ${database} TO ${quoteRoleName(role)}`);
  };
  for (const [service, schema] of Object.entries(SERVICE_SCHEMAS) as [ConveyorService, string][]) {
    if (service === 'audit') continue;
    const role = logins.runtime[service];
    login(role);
    statements.push(
      `CREATE SCHEMA IF NOT EXISTS ${quoteSchemaName(schema)} AUTHORIZATION ${quoteRoleName(role)}`,
    );
  }
  login(logins.auditOwner);
  statements.push(
    `CREATE SCHEMA IF NOT EXISTS ${quoteSchemaName(SERVICE_SCHEMAS.audit)} AUTHORIZATION ${quoteRoleName(logins.auditOwner)}`,
  );
  login(logins.runtime.audit);
  statements.push(`GRANT ${AUDIT_WRITER_GROUP} TO ${quoteRoleName(logins.runtime.audit)}`);
  return statements;
}

/** CREATE ROLE unless it exists, tolerating another session creating it at the same moment. */
function createRole(role: string, options: string): string {
  return `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
    CREATE ROLE ${quoteRoleName(role)} ${options};
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$`;
}

/** Role and database names come from code and configuration; still, refuse anything odd. */
export function quoteRoleName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(
      `"${name}" is not a valid role or database name (lower-case letters, digits, underscores)`,
    );
  }
  return `"${name}"`;
}
