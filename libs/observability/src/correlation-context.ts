import { AsyncLocalStorage } from 'node:async_hooks';

/** What follows a deployment through every event: set while an event or request is handled. */
export interface CorrelationContext {
  correlationId: string;
  /** The id of the event being handled: the cause of whatever is emitted now. */
  causationId: string | null;
  /** Who caused it: a person, an API token, or a service. */
  actor: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

export function runWithCorrelation<T>(context: CorrelationContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentCorrelation(): CorrelationContext | undefined {
  return storage.getStore();
}
