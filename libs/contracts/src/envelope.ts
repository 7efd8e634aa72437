import { z } from 'zod';
import { contractsByType, type EventMap, type EventType } from './registry';
import { isoTime } from './common';

/** The envelope every message carries, with CloudEvents 1.0 attribute names. */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.uuid(),
  type: z.string().min(1),
  source: z.string().min(1),
  time: isoTime,
  subject: z.string().min(1).nullable(),
  correlationid: z.string().min(1),
  causationid: z.string().min(1).nullable(),
  /** Who caused it: a person, an API token, or a service acting on its own. */
  actor: z.string().min(1),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
});
export type RawEnvelope = z.infer<typeof envelopeSchema>;

export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: Omit<RawEnvelope, 'type' | 'data'> & { type: K; data: EventMap[K] };
}[T];

export type DecodeResult =
  | { ok: true; envelope: EventEnvelope }
  | {
      ok: false;
      error: string;
      type?: string;
      id?: string;
      /**
       * Set when the envelope itself is valid but its type is not one this build knows (e.g. a
       * newer producer's event during a rolling upgrade): the envelope, its `data` unchecked.
       * Most consumers dead-letter it; the audit records it.
       */
      unknownType?: UnknownTypeEnvelope;
    };

/** A valid envelope whose `type` no contract of this build declares; `data` is as received. */
export type UnknownTypeEnvelope = RawEnvelope;

/** Formats zod issues as `path: message; path: message` so a reader knows which field is wrong. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates an envelope and its data against the contract of its type. Never throws. */
export function decodeEnvelope(raw: unknown): DecodeResult {
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const partial = (raw ?? {}) as { type?: unknown; id?: unknown };
    return {
      ok: false,
      error: `invalid envelope: ${formatIssues(parsed.error)}`,
      type: typeof partial.type === 'string' ? partial.type : undefined,
      id: typeof partial.id === 'string' ? partial.id : undefined,
    };
  }
  const envelope = parsed.data;
  const contract = contractsByType.get(envelope.type);
  if (!contract) {
    return {
      ok: false,
      error: `unknown event type "${envelope.type}"`,
      type: envelope.type,
      id: envelope.id,
      unknownType: envelope,
    };
  }
  const data = contract.schema.safeParse(envelope.data);
  if (!data.success) {
    return {
      ok: false,
      error: `invalid ${envelope.type}: ${formatIssues(data.error, 'data')}`,
      type: envelope.type,
      id: envelope.id,
    };
  }
  return { ok: true, envelope: { ...envelope, data: data.data } as EventEnvelope };
}

/** Validates a payload for a type before it is published; throws with the field that is wrong. */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventMap[T] {
  const contract = contractsByType.get(type);
  if (!contract) throw new ContractViolationError(`unknown event type "${type}"`);
  const parsed = contract.schema.safeParse(data);
  if (!parsed.success)
    throw new ContractViolationError(`invalid ${type}: ${formatIssues(parsed.error, 'data')}`);
  return parsed.data as EventMap[T];
}

export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
}
