import { parseNewAuditEntry, type JsonValue, type NewAuditEntry } from '@conveyor/audit-chain';
import type { EventEnvelope } from '@conveyor/contracts';

export type EntryMapping = { ok: true; entry: NewAuditEntry } | { ok: false; reason: string };

/** PostgreSQL text cannot hold U+0000; payloads are stored as JSON, where it is escaped. */
const NUL = '\u0000';

/**
 * What the chain records of an event: its id (lower-cased, as PostgreSQL returns a uuid), type,
 * subject and correlation id ("" becomes null), actor, time as sent, and as payload the event's
 * data together with its source service and causation id. Refuses what cannot be chained.
 */
export function envelopeToEntry(envelope: EventEnvelope): EntryMapping {
  const payload: { [key: string]: JsonValue } = {
    causationId: envelope.causationid,
    data: envelope.data as JsonValue,
    source: envelope.source,
  };
  const entry: NewAuditEntry = {
    eventId: envelope.id.toLowerCase(),
    type: envelope.type,
    subject: envelope.subject === '' ? null : envelope.subject,
    correlationId: envelope.correlationid === '' ? null : envelope.correlationid,
    actor: envelope.actor,
    time: envelope.time,
    payload,
  };
  for (const field of ['type', 'subject', 'correlationId', 'actor'] as const) {
    if (entry[field]?.includes(NUL))
      return { ok: false, reason: `${field} contains U+0000, which the audit store cannot hold` };
  }
  const checked = parseNewAuditEntry(entry);
  return checked.ok ? { ok: true, entry: checked.entry } : { ok: false, reason: checked.message };
}
