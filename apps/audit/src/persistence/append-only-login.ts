import type { DataSource } from 'typeorm';

/** What the database says about the login the audit service runs as. */
export interface AuditLoginFacts {
  readonly login: string;
  readonly superuser: boolean;
  /** Owner of the audit schema or of one of the chain's tables, or a member of such an owner. */
  readonly ownerRoles: readonly string[];
  /** Per chain table: the privileges this login has that could change or remove its rows. */
  readonly changePrivileges: readonly { table: string; privilege: string }[];
  /** Per chain table: SELECT and INSERT this login lacks. */
  readonly missingPrivileges: readonly { table: string; privilege: string }[];
}

/** The append-only tables: their rows are the audit record. */
export const CHAIN_TABLES = ['audit.entries', 'audit.checkpoints', 'audit.export_manifests'] as const;

/**
 * Why this login must not run the audit service (empty: it may). The runtime login may read and
 * append to the chain and nothing else: not a superuser, not the owner of the schema or a chain
 * table (an owner can disable the append-only triggers), not a member of one (it could SET ROLE),
 * no UPDATE, DELETE or TRUNCATE on a chain table.
 */
export function appendOnlyLoginProblems(facts: AuditLoginFacts): string[] {
  const problems: string[] = [];
  if (facts.superuser) problems.push(`${facts.login} is a superuser`);
  for (const owner of facts.ownerRoles)
    problems.push(
      owner === facts.login
        ? `${facts.login} owns the audit schema or a chain table`
        : `${facts.login} may act as ${owner}, which owns the audit schema or a chain table`,
    );
  for (const { table, privilege } of facts.changePrivileges)
    problems.push(`${facts.login} has ${privilege} on ${table}`);
  for (const { table, privilege } of facts.missingPrivileges)
    problems.push(`${facts.login} lacks ${privilege} on ${table}`);
  return problems;
}

export async function readAuditLoginFacts(dataSource: DataSource): Promise<AuditLoginFacts> {
  const [role] = (await dataSource.query(
    `SELECT session_user AS login, rolsuper AS superuser FROM pg_roles WHERE rolname = session_user`,
  )) as { login: string; superuser: boolean }[];
  const owners = (await dataSource.query(
    `SELECT DISTINCT r.rolname AS owner FROM (
       SELECT nspowner AS oid FROM pg_namespace WHERE nspname = 'audit'
       UNION SELECT relowner FROM pg_class WHERE oid = ANY($1::regclass[])
     ) o JOIN pg_roles r ON r.oid = o.oid
     WHERE pg_has_role(session_user, r.oid, 'MEMBER')`,
    [CHAIN_TABLES],
  )) as { owner: string }[];
  const privileges = (await dataSource.query(
    `SELECT t AS table, p AS privilege, has_table_privilege(session_user, t, p) AS granted
     FROM unnest($1::text[]) t CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p`,
    [CHAIN_TABLES],
  )) as { table: string; privilege: string; granted: boolean }[];
  return {
    login: role?.login ?? '?',
    superuser: role?.superuser === true,
    ownerRoles: owners.map((row) => row.owner),
    changePrivileges: privileges
      .filter((row) => row.granted && !['SELECT', 'INSERT'].includes(row.privilege))
      .map(({ table, privilege }) => ({ table, privilege })),
    missingPrivileges: privileges
      .filter((row) => !row.granted && ['SELECT', 'INSERT'].includes(row.privilege))
      .map(({ table, privilege }) => ({ table, privilege })),
  };
}

/** Refuses to run the audit log as a login that could rewrite it (DATABASE_URL must be the runtime login). */
export async function assertAppendOnlyLogin(dataSource: DataSource): Promise<void> {
  const problems = appendOnlyLoginProblems(await readAuditLoginFacts(dataSource));
  if (problems.length > 0)
    throw new Error(
      `DATABASE_URL must be the audit service's append-only login (see docs/security/database.md): ${problems.join('; ')}`,
    );
}
