import type { ServiceSpec } from '@conveyor/service-kit';
import { ORCHESTRATOR_PORT, orchestratorEnvSchema, type OrchestratorEnv } from './config/orchestrator-env';
import { OrchestratorModule } from './orchestrator.module';
import { AgentCommandEntity } from './persistence/agent-command.entity';
import { AgentEntity } from './persistence/agent.entity';
import { DeploymentEntity } from './persistence/deployment.entity';
import {
  ORCHESTRATOR_SCHEMA,
  OrchestratorTables1734000000000,
} from './persistence/orchestrator-tables.migration';
import { StepEntity } from './persistence/step.entity';

/** How the orchestrator boots, in its process (main.ts) or in a test (startService). */
export const orchestratorService: ServiceSpec<OrchestratorEnv> = {
  name: 'orchestrator',
  schema: ORCHESTRATOR_SCHEMA,
  defaultPort: ORCHESTRATOR_PORT,
  envSchema: orchestratorEnvSchema,
  entities: [DeploymentEntity, StepEntity, AgentCommandEntity, AgentEntity],
  migrations: [OrchestratorTables1734000000000],
  // GET /deployments/:id needs a pipeline-issued token (any role); /health and /metrics stay open.
  apiAuth: {},
  module: (kit, env) => OrchestratorModule.register(kit, env),
};
