import type { ServiceSpec } from '@conveyor/service-kit';
import { AbortedDeploymentEntity } from './persistence/aborted-deployment.entity';
import { BakeEntity } from './persistence/bake.entity';
import { VerificationEntity } from './persistence/verification.entity';
import { VerifierTables1733000000000 } from './persistence/verifier-tables.migration';
import { VerifierModule } from './verifier.module';
import { verifierEnvSchema, type VerifierEnv } from './config/verifier-env';

/** How the verifier boots: its schema, tables, environment and module (main.ts and the tests use it). */
export const verifierService: ServiceSpec<VerifierEnv> = {
  name: 'verifier',
  schema: 'verifier',
  defaultPort: 3003,
  envSchema: verifierEnvSchema,
  entities: [VerificationEntity, BakeEntity, AbortedDeploymentEntity],
  migrations: [VerifierTables1733000000000],
  module: (kit, env) => VerifierModule.register(kit, env),
};
