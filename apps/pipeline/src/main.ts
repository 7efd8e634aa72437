import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { PipelineModule } from './pipeline.module';

void runService({
  name: 'pipeline',
  schema: 'pipeline',
  defaultPort: 3000,
  module: (kit) => PipelineModule.register(kit),
});
