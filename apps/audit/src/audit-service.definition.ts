import type { ServiceSpec } from '@conveyor/service-kit';
import { AuditModule } from './audit.module';
import { auditEnvSchema, type AuditEnv } from './config/audit-env';
import { AuditSchema1733000000000 } from './database/audit-schema.migration';

/**
 * The audit service as service-kit boots it. No inbox: events are appended in batches, and a
 * redelivered event adds nothing because its id is already in the chain (UNIQUE event_id).
 */
export const auditService: ServiceSpec<AuditEnv> = {
  name: 'audit',
  schema: 'audit',
  defaultPort: 3004,
  envSchema: auditEnvSchema,
  migrations: [AuditSchema1733000000000],
  inbox: false,
  // Auditors' tokens: the pipeline's identity events arrive through `#` like everything else
  // (recorded, then applied to the read model by the ingest consumer).
  apiAuth: { consumeIdentityEvents: false },
  module: (kit, env) => AuditModule.register(kit, env),
};
