import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { PoolManagerModule } from './pool-manager.module';

void runService({
  name: 'pool-manager',
  schema: 'pool_manager',
  defaultPort: 3002,
  module: (kit) => PoolManagerModule.register(kit),
});
