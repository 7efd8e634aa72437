import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { VerifierModule } from './verifier.module';

void runService({
  name: 'verifier',
  schema: 'verifier',
  defaultPort: 3003,
  module: (kit) => VerifierModule.register(kit),
});
