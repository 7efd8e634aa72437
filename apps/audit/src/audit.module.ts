import { Module, type DynamicModule } from '@nestjs/common';
import { ReceivedEventsLogger } from './received-events.consumer';

/** The append-only, hash-chained audit log. */
@Module({})
export class AuditModule {
  static register(kit: DynamicModule): DynamicModule {
    return { module: AuditModule, imports: [kit], controllers: [ReceivedEventsLogger] };
  }
}
