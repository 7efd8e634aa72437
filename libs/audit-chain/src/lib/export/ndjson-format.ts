import { errorMessage } from '@conveyor/errors';
import { parseAuditEntry, type AuditEntry, type EntryParseResult } from '../entry/audit-entry';
import { canonicalJson } from '../entry/canonical-json';

/** One NDJSON line: the RFC 8785 canonical JSON of the whole entry (hash and prevHash included) and "\n". */
export function entryToNdjsonLine(entry: AuditEntry): string {
  // Built by hand in RFC 8785 key order (a unit test compares it with canonicalJson of the entry).
  return (
    `{"actor":${JSON.stringify(entry.actor)}` +
    `,"correlationId":${JSON.stringify(entry.correlationId)}` +
    `,"eventId":${JSON.stringify(entry.eventId)}` +
    `,"hash":${JSON.stringify(entry.hash)}` +
    `,"payload":${canonicalJson(entry.payload)}` +
    `,"prevHash":${JSON.stringify(entry.prevHash)}` +
    `,"seq":${String(entry.seq)}` +
    `,"subject":${JSON.stringify(entry.subject)}` +
    `,"time":${JSON.stringify(entry.time)}` +
    `,"type":${JSON.stringify(entry.type)}}\n`
  );
}

/** Parses one NDJSON line (without its line break) into an entry; says what is wrong otherwise. */
export function parseNdjsonLine(line: string): EntryParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return {
      ok: false,
      message: `not valid JSON (${errorMessage(error)})`,
    };
  }
  return parseAuditEntry(value);
}
