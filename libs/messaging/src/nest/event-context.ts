import { BaseRpcContext } from '@nestjs/microservices';
import type { EventEnvelope, EventInput, EventType } from '@conveyor/contracts';
import type { EmitOptions } from '../core/envelope-factory';
import type { Delivery } from '../core/event-consumer';
import type { UnitOfWork } from '../outbox/transactional-bus';

/**
 * What a handler gets with `@Ctx()`: the whole envelope, the delivery attempt, and — in a
 * service with a database — the unit of work of the inbox transaction (state changes and
 * emitted events commit together with the record that this event was handled).
 */
export class EventContext<T extends EventType = EventType> extends BaseRpcContext<
  [EventEnvelope<T>, Delivery, UnitOfWork | undefined]
> {
  get envelope(): EventEnvelope<T> {
    return this.args[0];
  }

  get delivery(): Delivery {
    return this.args[1];
  }

  /** The inbox transaction; throws in a service without a database. */
  get unit(): UnitOfWork {
    const unit = this.args[2];
    if (!unit) throw new Error('this service has no database: there is no unit of work');
    return unit;
  }

  emit<E extends EventType>(type: E, data: EventInput[E], options?: EmitOptions): EventEnvelope<E> {
    return this.unit.emit(type, data, options);
  }
}
