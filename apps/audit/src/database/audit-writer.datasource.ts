import { DataSource } from 'typeorm';
import { AUDIT_WRITER_ROLE } from './audit-schema.migration';

/**
 * The connections the service appends and reads with. They log in as DATABASE_URL's user (which
 * owns the schema and ran the migrations) and assume `conveyor_audit_writer` at once through the
 * startup option `-c role=…` (the same as `SET ROLE`), so nothing the service runs can update,
 * delete or truncate the chain, even with the triggers disabled.
 */
export async function openAuditWriterDataSource(url: string, poolSize: number): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: 'audit',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: poolSize,
      application_name: 'conveyor-audit-writer',
      options: `-c role=${AUDIT_WRITER_ROLE}`,
    },
  });
  await dataSource.initialize();
  const [row] = (await dataSource.query('SELECT current_user AS role')) as { role: string }[];
  if (row?.role !== AUDIT_WRITER_ROLE) {
    await dataSource.destroy();
    throw new Error(
      `the audit writer connection runs as ${String(row?.role)}, expected ${AUDIT_WRITER_ROLE}`,
    );
  }
  return dataSource;
}
