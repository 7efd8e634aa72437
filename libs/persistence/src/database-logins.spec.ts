import { AUDIT_WRITER_GROUP, databaseLoginStatements, databaseLogins } from './database-logins';

describe('database logins', () => {
  it('names one runtime login per service and a separate audit schema owner', () => {
    expect(databaseLogins('conveyor_')).toEqual({
      runtime: {
        pipeline: 'conveyor_pipeline',
        orchestrator: 'conveyor_orchestrator',
        'pool-manager': 'conveyor_pool_manager',
        verifier: 'conveyor_verifier',
        audit: 'conveyor_audit',
      },
      auditOwner: 'conveyor_audit_owner',
    });
  });

  it('gives each service its own schema, the audit schema to the owner, and the runtime login only the writer group', () => {
    const sql = databaseLoginStatements({ database: 'conveyor', rolePrefix: 'conveyor_' }).join(';\n');
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS "pipeline" AUTHORIZATION "conveyor_pipeline"');
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS "pool_manager" AUTHORIZATION "conveyor_pool_manager"');
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS "audit" AUTHORIZATION "conveyor_audit_owner"');
    expect(sql).not.toMatch(/AUTHORIZATION "conveyor_audit"/);
    expect(sql).toContain(`GRANT ${AUDIT_WRITER_GROUP} TO "conveyor_audit"`);
    expect(sql.match(/GRANT conveyor_audit_writer TO/g)).toHaveLength(1);
    expect(sql).toContain('REVOKE CONNECT, TEMPORARY ON DATABASE "conveyor" FROM PUBLIC');
    expect(sql).not.toMatch(/SUPERUSER(?<!NOSUPERUSER)|CREATEROLE(?<!NOCREATEROLE)/);
  });

  it('sets passwords only when asked, as the given SQL expression', () => {
    const none = databaseLoginStatements({ database: 'conveyor', rolePrefix: 'conveyor_' });
    expect(none.some((statement) => statement.includes('PASSWORD'))).toBe(false);
    const psql = databaseLoginStatements({
      database: 'conveyor',
      rolePrefix: 'conveyor_',
      password: (role) => `:'${role}_password'`,
    });
    expect(psql).toContain(`ALTER ROLE "conveyor_audit" PASSWORD :'conveyor_audit_password'`);
  });

  it('refuses odd names', () => {
    expect(() => databaseLogins('Robert"; DROP')).toThrow(/not a valid role/);
    expect(() => databaseLoginStatements({ database: 'x y', rolePrefix: 'c_' })).toThrow(/not a valid/);
  });
});
