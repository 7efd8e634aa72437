import { Module, type DynamicModule } from '@nestjs/common';
import { ReceivedEventsLogger } from './received-events.consumer';

/** The internal HTTP API Jenkins and operators call: service catalogue, runs, artifacts, promotions, approvals, deployment read model. */
@Module({})
export class PipelineModule {
  static register(kit: DynamicModule): DynamicModule {
    return { module: PipelineModule, imports: [kit], controllers: [ReceivedEventsLogger] };
  }
}
