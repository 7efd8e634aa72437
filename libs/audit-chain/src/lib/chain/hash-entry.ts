import { hash } from 'node:crypto';
import { canonicalJson } from '../entry/canonical-json';
import type { HashedEntryFields, UnhashedEntry } from '../entry/audit-entry';

/**
 * RFC 8785 canonical JSON of the hashed fields: actor, correlationId, eventId, payload, seq,
 * subject, time, type (keys in that sorted order). Built by hand for speed; a unit test proves
 * it is byte-identical to `canonicalize()` of the same object.
 */
export function canonicalEntryBody(fields: HashedEntryFields): string {
  return (
    `{"actor":${JSON.stringify(fields.actor)}` +
    `,"correlationId":${JSON.stringify(fields.correlationId)}` +
    `,"eventId":${JSON.stringify(fields.eventId)}` +
    `,"payload":${canonicalJson(fields.payload)}` +
    `,"seq":${String(fields.seq)}` +
    `,"subject":${JSON.stringify(fields.subject)}` +
    `,"time":${JSON.stringify(fields.time)}` +
    `,"type":${JSON.stringify(fields.type)}}`
  );
}

/** The exact text whose UTF-8 bytes are hashed: prevHash (64 lowercase hex chars) followed by the canonical body. */
export function entryPreimage(entry: UnhashedEntry): string {
  return entry.prevHash + canonicalEntryBody(entry);
}

/**
 * hash = lowercase hex SHA-256 of UTF-8(prevHash ‖ canonicalJSON(entry without prevHash and hash)).
 * A `hash` field on the argument, if any, is ignored.
 */
export function hashEntry(entry: UnhashedEntry): string {
  return hash('sha256', entryPreimage(entry), 'hex');
}
