import type { ServiceSpec } from '@conveyor/service-kit';
import { pipelineEnvSchema, type PipelineEnv } from './config/pipeline-env';
import { pipelineEntities } from './persistence/pipeline.entities';
import { FrozenPolicy1733200000000 } from './persistence/frozen-policy.migration';
import { PipelineAuditCheckpoints1765000000100 } from './persistence/audit-checkpoints.migration';
import { PipelineSchema1733100000000 } from './persistence/pipeline-schema.migration';
import { setupOpenApi } from './http/openapi.setup';
import { PipelineModule } from './pipeline.module';

/** The pipeline service as service-kit boots it: schema `pipeline`, port 3000. */
export const pipelineService: ServiceSpec<PipelineEnv> = {
  name: 'pipeline',
  schema: 'pipeline',
  defaultPort: 3000,
  envSchema: pipelineEnvSchema,
  entities: pipelineEntities,
  migrations: [PipelineSchema1733100000000, FrozenPolicy1733200000000, PipelineAuditCheckpoints1765000000100],
  module: (kit, env) => PipelineModule.register(kit, env),
  configure: (app) => setupOpenApi(app),
};
