import { randomUUID } from 'node:crypto';
import { parseEventData, type EventEnvelope, type EventInput, type EventType } from '@conveyor/contracts';
import { currentCorrelation } from '@conveyor/observability';

export interface EmitOptions {
  /** The deployment (or other entity) the event is about. */
  subject?: string | null;
  /** Overrides the actor of the current context (e.g. the API token's owner). */
  actor?: string;
  /** Starts a new correlation (e.g. a new deployment) instead of following the current one. */
  correlationId?: string;
}

/**
 * Builds a validated envelope. Correlation, causation and actor follow the event or request
 * being handled; a payload that breaks its contract throws here, at the publisher.
 */
export function createEnvelope<T extends EventType>(
  source: string,
  type: T,
  data: EventInput[T],
  options: EmitOptions = {},
): EventEnvelope<T> {
  const context = currentCorrelation();
  const id = randomUUID();
  return {
    specversion: '1.0',
    id,
    type,
    source,
    time: new Date().toISOString(),
    subject: options.subject ?? null,
    correlationid: options.correlationId ?? context?.correlationId ?? id,
    causationid: context?.causationId ?? null,
    actor: options.actor ?? context?.actor ?? `service:${source}`,
    datacontenttype: 'application/json',
    data: parseEventData(type, data),
  } as EventEnvelope<T>;
}
