import { EventPattern } from '@nestjs/microservices';
import type { EventType } from '@conveyor/contracts';

/**
 * `@OnEvent('pool.drain.requested')`: a typed `@EventPattern`. The service's queue is bound to
 * every type its handlers name; `@OnEvent('#')` receives everything (the audit service).
 */
export function OnEvent(type: EventType | '#'): MethodDecorator {
  return EventPattern(type);
}

/** The pattern under which `@OnRefusedMessage()` registers; never a binding (not a routing key). */
export const REFUSED_MESSAGE_PATTERN = '$refused';

/**
 * `@OnRefusedMessage()`: the handler receives (as `@Payload()`) each `RefusedMessage` the service's
 * consumer refused, before it is dead-lettered: the audit service records refusals in its chain.
 * If it throws, the refused message is retried, then dead-lettered anyway.
 */
export function OnRefusedMessage(): MethodDecorator {
  return EventPattern(REFUSED_MESSAGE_PATTERN);
}
