import type { AuditEntry, JsonValue } from '@conveyor/audit-chain';

/** A row of audit.entries as pg returns it (bigint as text). */
export interface EntryRow {
  seq: string;
  event_id: string;
  type: string;
  subject: string | null;
  correlation_id: string | null;
  actor: string;
  time: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/**
 * A stored row as a chain entry. A payload that is not JSON (only possible if someone changed
 * the row by hand) is left out, so the chain check reports the entry as malformed at its seq.
 */
export function rowToEntry(row: EntryRow): AuditEntry {
  const entry = {
    actor: row.actor,
    correlationId: row.correlation_id,
    eventId: row.event_id,
    hash: row.hash,
    payload: parsePayload(row.payload),
    prevHash: row.prev_hash,
    seq: Number(row.seq),
    subject: row.subject,
    time: row.time,
    type: row.type,
  };
  if (entry.payload === undefined) delete entry.payload;
  return entry as AuditEntry;
}

function parsePayload(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
