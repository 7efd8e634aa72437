import type { ServiceSpec } from '@conveyor/service-kit';
import { AuditModule } from './audit.module';
import { auditEnvSchema, type AuditEnv } from './config/audit-env';
import { AuditIdentityGrants1765000000200 } from './persistence/audit-identity-grants.migration';
import { AuditRuntimeGrants1765000000000 } from './persistence/audit-runtime-grants.migration';
import { AuditSchema1733000000000 } from './persistence/audit-schema.migration';

/**
 * The audit service as service-kit boots it. No inbox: events are appended in batches, and a
 * redelivered event adds nothing because its id is already in the chain (UNIQUE event_id). No
 * migrations at start: DATABASE_URL is the append-only runtime login; `main.ts migrate` runs them
 * with DATABASE_MIGRATION_URL (the schema owner), as a one-off job.
 */
export const auditService: ServiceSpec<AuditEnv> = {
  name: 'audit',
  schema: 'audit',
  defaultPort: 3004,
  envSchema: auditEnvSchema,
  migrations: [AuditSchema1733000000000, AuditRuntimeGrants1765000000000, AuditIdentityGrants1765000000200],
  migrateAtStart: false,
  inbox: false,
  // Auditors' tokens: the pipeline's identity events arrive through `#` like everything else
  // (recorded, then applied to the read model by the ingest consumer).
  apiAuth: { consumeIdentityEvents: false },
  module: (kit, env) => AuditModule.register(kit, env),
};
