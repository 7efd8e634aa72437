import { Module, type DynamicModule } from '@nestjs/common';
import { ReceivedEventsLogger } from './received-events.consumer';

/** Rollout plans and their durable state machine. */
@Module({})
export class OrchestratorModule {
  static register(kit: DynamicModule): DynamicModule {
    return { module: OrchestratorModule, imports: [kit], controllers: [ReceivedEventsLogger] };
  }
}
