import type { ServiceSpec } from '@conveyor/service-kit';
import { POOL_MANAGER_PORT, poolManagerEnv, type PoolManagerEnv } from './config/pool-manager-env';
import { PoolManagerModule } from './pool-manager.module';
import { PoolOperationEntity } from './persistence/pool-operation.entity';
import {
  POOL_MANAGER_SCHEMA,
  PoolManagerTables1733000000000,
} from './persistence/pool-manager-tables.migration';
import { PoolOperationLeases1765000000000 } from './persistence/pool-operation-leases.migration';
import { ServerIntentEntity } from './persistence/server-intent.entity';

/** How the pool manager boots: its schema, tables, environment and module. */
export const poolManagerService: ServiceSpec<PoolManagerEnv> = {
  name: 'pool-manager',
  schema: POOL_MANAGER_SCHEMA,
  defaultPort: POOL_MANAGER_PORT,
  envSchema: poolManagerEnv,
  entities: [ServerIntentEntity, PoolOperationEntity],
  migrations: [PoolManagerTables1733000000000, PoolOperationLeases1765000000000],
  // GET /pools needs a pipeline-issued token (any role); /health and /metrics stay open.
  apiAuth: {},
  module: (kit, env) => PoolManagerModule.register(kit, env.settings),
};
