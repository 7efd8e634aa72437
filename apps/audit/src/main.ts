import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { AuditModule } from './audit.module';

void runService({
  name: 'audit',
  schema: 'audit',
  defaultPort: 3004,
  module: (kit) => AuditModule.register(kit),
});
