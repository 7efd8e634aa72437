import { Module, type DynamicModule } from '@nestjs/common';
import { ReceivedEventsLogger } from './received-events.consumer';

/** HAProxy pools: drain, maintenance, enable, capacity floor, drift reconciliation. */
@Module({})
export class PoolManagerModule {
  static register(kit: DynamicModule): DynamicModule {
    return { module: PoolManagerModule, imports: [kit], controllers: [ReceivedEventsLogger] };
  }
}
