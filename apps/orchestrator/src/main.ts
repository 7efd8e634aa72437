import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { OrchestratorModule } from './orchestrator.module';

void runService({
  name: 'orchestrator',
  schema: 'orchestrator',
  defaultPort: 3001,
  module: (kit) => OrchestratorModule.register(kit),
});
