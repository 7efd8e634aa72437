import type { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope, EventInput, EventType } from '@conveyor/contracts';
import { createEnvelope, type EmitOptions } from '../core/envelope-factory';
import { OutboxRepository } from './outbox.repository';
import type { OutboxRelay } from './outbox-relay';

/** A unit of work: state changes through `manager`, events through `emit`, one commit for both. */
export interface UnitOfWork {
  readonly manager: EntityManager;
  emit<T extends EventType>(type: T, data: EventInput[T], options?: EmitOptions): EventEnvelope<T>;
}

/**
 * The transactional outbox: a service's state change and the events it emits commit together,
 * or neither does. A rolled-back transaction publishes nothing.
 */
export class TransactionalBus {
  private readonly repository: OutboxRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly source: string,
    schema: string,
    private readonly relay?: OutboxRelay,
  ) {
    this.repository = new OutboxRepository(schema);
  }

  /** Runs `work` in one transaction; the events it emits are published after the commit. */
  async transaction<R>(work: (unit: UnitOfWork) => Promise<R>): Promise<R> {
    const result = await this.dataSource.transaction((manager) => this.within(manager, work));
    this.relay?.wake();
    return result;
  }

  /** Runs `work` inside a transaction the caller already holds (the inbox's, for a handler). */
  async within<R>(manager: EntityManager, work: (unit: UnitOfWork) => Promise<R>): Promise<R> {
    const pending: EventEnvelope[] = [];
    const unit: UnitOfWork = {
      manager,
      emit: (type, data, options) => {
        const envelope = createEnvelope(this.source, type, data, options);
        pending.push(envelope as EventEnvelope);
        return envelope;
      },
    };
    const result = await work(unit);
    await this.repository.add(manager, pending);
    return result;
  }

  /** Handles an event at most once for `consumer`: inbox record, work and events commit together. */
  async handleOnce(
    consumer: string,
    eventId: string,
    work: (unit: UnitOfWork) => Promise<void>,
  ): Promise<'handled' | 'duplicate'> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (!(await this.repository.claimInbox(manager, consumer, eventId))) return 'duplicate' as const;
      await this.within(manager, work);
      return 'handled' as const;
    });
    if (outcome === 'handled') this.relay?.wake();
    return outcome;
  }

  /**
   * Handles a batch of events in one transaction: one inbox insert for all, each new event's work
   * in order. If any work throws, nothing of the batch commits and the error propagates (the
   * caller then handles the events one by one to isolate the failing one).
   */
  async handleBatchOnce(
    consumer: string,
    items: readonly { eventId: string; work: (unit: UnitOfWork) => Promise<void> }[],
  ): Promise<('handled' | 'duplicate')[]> {
    const outcomes = await this.dataSource.transaction(async (manager) => {
      const fresh = await this.repository.claimInboxMany(
        manager,
        consumer,
        items.map((item) => item.eventId),
      );
      const results: ('handled' | 'duplicate')[] = [];
      for (const item of items) {
        if (!fresh.delete(item.eventId)) {
          results.push('duplicate');
          continue;
        }
        await this.within(manager, item.work);
        results.push('handled');
      }
      return results;
    });
    if (outcomes.includes('handled')) this.relay?.wake();
    return outcomes;
  }
}
