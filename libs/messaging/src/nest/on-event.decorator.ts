import { EventPattern } from '@nestjs/microservices';
import type { EventType } from '@conveyor/contracts';

/**
 * `@OnEvent('pool.drain.requested')`: a typed `@EventPattern`. The service's queue is bound to
 * every type its handlers name; `@OnEvent('#')` receives everything (the audit service).
 */
export function OnEvent(type: EventType | '#'): MethodDecorator {
  return EventPattern(type);
}
