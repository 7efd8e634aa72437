import { Module, type DynamicModule } from '@nestjs/common';
import { ReceivedEventsLogger } from './received-events.consumer';

/** Health checks and smoke suites against servers in maintenance; the bake window. */
@Module({})
export class VerifierModule {
  static register(kit: DynamicModule): DynamicModule {
    return { module: VerifierModule, imports: [kit], controllers: [ReceivedEventsLogger] };
  }
}
