import { errorMessage } from '@conveyor/errors';
/**
 * `npm run dev`'s database step: in the `conveyor` database (created by dev.mjs), one login per
 * service with its development password, exactly as deploy/postgres/conveyor-logins.sql creates them
 * (the same statements, libs/persistence `databaseLoginStatements`). A database made before
 * per-service logins has its schemas handed to their logins. Prints the URLs as JSON:
 * `{ "runtime": { "<service>": url }, "auditMigration": url }`.
 *   node -r @swc-node/register tools/scripts/dev-database-logins.ts <admin URL of the conveyor database>
 */
import { Client } from 'pg';
import {
  SERVICE_SCHEMAS,
  databaseLoginStatements,
  databaseLogins,
  quoteRoleName,
  quoteSchemaName,
  type ConveyorService,
} from '@conveyor/persistence';

const devPassword = (role: string) => `dev-${role.replace(/^conveyor_/, '').replace(/_/g, '-')}`;

async function main(adminUrl: string): Promise<void> {
  const database = new URL(adminUrl).pathname.slice(1);
  const logins = databaseLogins('conveyor_');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const statement of databaseLoginStatements({
      database,
      rolePrefix: 'conveyor_',
      password: (role) => `'${devPassword(role)}'`,
    }))
      await client.query(statement);
    for (const [service, schema] of Object.entries(SERVICE_SCHEMAS) as [ConveyorService, string][]) {
      const owner = service === 'audit' ? logins.auditOwner : logins.runtime[service];
      await adoptSchema(client, schema, owner);
    }
  } finally {
    await client.end();
  }
  const url = (role: string) => {
    const login = new URL(adminUrl);
    login.username = role;
    login.password = devPassword(role);
    return login.toString();
  };
  const runtime = Object.fromEntries(
    Object.entries(logins.runtime).map(([service, role]) => [service, url(role)]),
  );
  process.stdout.write(`${JSON.stringify({ runtime, auditMigration: url(logins.auditOwner) })}\n`);
}

/** Hands a schema made before per-service logins (owned by the administrator) to its login. */
async function adoptSchema(client: Client, schema: string, owner: string): Promise<void> {
  const { rows } = await client.query<{ owner: string }>(
    `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1`,
    [schema],
  );
  if (rows[0] === undefined) return;
  if (rows[0].owner !== owner) {
    process.stderr.write(`[dev] handing schema ${schema} (owned by ${rows[0].owner}) to ${owner}\n`);
    await client.query(`ALTER SCHEMA ${quoteSchemaName(schema)} OWNER TO ${quoteRoleName(owner)}`);
  }
  // Tables first: a sequence that belongs to a column follows its table.
  const relations = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> $2`,
    [schema, owner],
  );
  const kinds: Record<string, string> = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW' };
  for (const relation of relations.rows)
    await client.query(
      `ALTER ${kinds[relation.kind] ?? 'TABLE'} ${quoteSchemaName(schema)}."${relation.name}" OWNER TO ${quoteRoleName(owner)}`,
    );
  const sequences = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> $2`,
    [schema, owner],
  );
  for (const sequence of sequences.rows)
    await client.query(
      `ALTER SEQUENCE ${quoteSchemaName(schema)}."${sequence.name}" OWNER TO ${quoteRoleName(owner)}`,
    );
  const functions = await client.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 AND pg_get_userbyid(p.proowner) <> $2`,
    [schema, owner],
  );
  for (const fn of functions.rows)
    await client.query(`ALTER FUNCTION ${fn.signature} OWNER TO ${quoteRoleName(owner)}`);
}

main(process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/conveyor').catch((error: unknown) => {
  process.stderr.write(`[dev] database logins: ${errorMessage(error)}\n`);
  process.exit(1);
});
