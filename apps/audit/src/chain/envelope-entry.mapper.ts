import { parseNewAuditEntry, type JsonValue, type NewAuditEntry } from '@conveyor/audit-chain';
import type { EventEnvelope, UnknownTypeEnvelope } from '@conveyor/contracts';

export type EntryMapping = { ok: true; entry: NewAuditEntry } | { ok: false; reason: string };

/** PostgreSQL text cannot hold U+0000; payloads are stored as JSON, where it is escaped. */
const NUL = '\u0000';

/**
 * What the chain records of an event: its id (lower-cased, as PostgreSQL returns a uuid), type,
 * subject and correlation id ("" becomes null), actor, time as sent, and as payload the event's
 * data as this build's contract parsed it (the parsed view), its source service and causation
 * id, and — for an event received from the bus — `receivedEnvelope`: the message body exactly as
 * received (a JSON string), so fields a newer producer added that this build's schemas drop are
 * kept, and covered by the entry's hash like the rest of the payload. Refuses what cannot be chained.
 */
export function envelopeToEntry(envelope: EventEnvelope, receivedEnvelope?: string): EntryMapping {
  const payload: { [key: string]: JsonValue } = {
    causationId: envelope.causationid,
    data: envelope.data as JsonValue,
    source: envelope.source,
  };
  if (receivedEnvelope !== undefined) payload['receivedEnvelope'] = receivedEnvelope;
  return checkedEntry(envelope, payload);
}

/**
 * What the chain records of an event of a type this build has no contract for (a newer
 * producer's, during a rolling upgrade): the same fields as any event, its `data` as received
 * (nothing parsed it), `unknownType: true`, the broker user that published it (no contract names
 * its producer) and the message body exactly as received.
 */
export function unknownTypeEventToEntry(event: {
  envelope: UnknownTypeEnvelope;
  userId: string;
  receivedEnvelope: string;
}): EntryMapping {
  const { envelope } = event;
  const payload: { [key: string]: JsonValue } = {
    causationId: envelope.causationid,
    data: (envelope.data ?? null) as JsonValue,
    source: envelope.source,
    unknownType: true,
    publishedBy: event.userId,
    receivedEnvelope: event.receivedEnvelope,
  };
  return checkedEntry(envelope, payload);
}

function checkedEntry(
  envelope: Pick<UnknownTypeEnvelope, 'id' | 'type' | 'subject' | 'correlationid' | 'actor' | 'time'>,
  payload: { [key: string]: JsonValue },
): EntryMapping {
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
