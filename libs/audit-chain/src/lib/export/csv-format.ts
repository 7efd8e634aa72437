import { errorMessage } from '@conveyor/errors';
import { parseAuditEntry, type AuditEntry, type EntryParseResult } from '../entry/audit-entry';
import { canonicalJson } from '../entry/canonical-json';

/** Column order of a CSV export; the first record of the file is exactly this header. */
export const CSV_COLUMNS = [
  'seq',
  'event_id',
  'type',
  'subject',
  'correlation_id',
  'actor',
  'time',
  'payload',
  'prev_hash',
  'hash',
] as const;

const NEEDS_QUOTES = /[",\r\n]/;
const RECORD_END = '\r\n';

/** RFC 4180: a field with a comma, quote, CR or LF is enclosed in quotes and its quotes doubled. */
export function quoteCsvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvHeaderRecord(): string {
  return CSV_COLUMNS.join(',') + RECORD_END;
}

/** One CSV record (CRLF-terminated). null subject/correlation_id is an empty field; payload is canonical JSON. */
export function entryToCsvRecord(entry: AuditEntry): string {
  const fields = [
    String(entry.seq),
    entry.eventId,
    entry.type,
    entry.subject ?? '',
    entry.correlationId ?? '',
    entry.actor,
    entry.time,
    canonicalJson(entry.payload),
    entry.prevHash,
    entry.hash,
  ];
  return fields.map(quoteCsvField).join(',') + RECORD_END;
}

export function isCsvHeader(fields: readonly string[]): boolean {
  return fields.length === CSV_COLUMNS.length && fields.every((field, index) => field === CSV_COLUMNS[index]);
}

const SEQ_TEXT = /^[1-9][0-9]*$/;

/** Turns the fields of one CSV data record into an entry; says which column is wrong otherwise. */
export function csvFieldsToEntry(fields: readonly string[]): EntryParseResult {
  if (fields.length !== CSV_COLUMNS.length) {
    return {
      ok: false,
      message: `expected ${CSV_COLUMNS.length} fields (${CSV_COLUMNS.join(',')}), got ${fields.length}`,
    };
  }
  const [seqText, eventId, type, subject, correlationId, actor, time, payloadText, prevHash, hash] =
    fields as [string, string, string, string, string, string, string, string, string, string];
  if (!SEQ_TEXT.test(seqText)) return { ok: false, message: `seq: "${seqText}" is not a positive integer` };
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch (error) {
    return {
      ok: false,
      message: `payload: not valid JSON (${errorMessage(error)})`,
    };
  }
  return parseAuditEntry({
    seq: Number(seqText),
    eventId,
    type,
    subject: subject === '' ? null : subject,
    correlationId: correlationId === '' ? null : correlationId,
    actor,
    time,
    payload,
    prevHash,
    hash,
  });
}
