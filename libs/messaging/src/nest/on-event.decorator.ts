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

/** The pattern under which `@OnUnknownEventType()` registers; never a binding (not a routing key). */
export const UNKNOWN_TYPE_PATTERN = '$unknown-type';

/**
 * `@OnUnknownEventType()`: the handler receives (as `@Payload()`) a `ReceivedUnknownEvent` for each
 * authenticated event of a type this build has no contract for — routing key equal to its type,
 * published by a known producer's broker user — instead of it being dead-lettered. For the audit
 * (bound to `#`) during a rolling upgrade of Conveyor. If it throws, the event is retried, then
 * dead-lettered.
 */
export function OnUnknownEventType(): MethodDecorator {
  return EventPattern(UNKNOWN_TYPE_PATTERN);
}
