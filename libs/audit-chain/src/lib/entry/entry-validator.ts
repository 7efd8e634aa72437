import { findJsonValueProblem, isWellFormedText } from './json-value';

/**
 * Hand-written checks for the hot paths (verifying or exporting millions of entries), where zod
 * costs more than hashing. They accept only what the zod schemas in audit-entry.ts accept; when
 * they refuse, the caller falls back to zod, which explains what is wrong. A unit test compares
 * both on generated values.
 */

/** zod's `z.uuid()` pattern (RFC 9562 variants, plus the nil and max UUIDs). */
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
/** zod's `z.iso.datetime({ offset: true })` pattern (calendar-valid dates, Z or ±hh:mm). */
const ISO_DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

const NEW_ENTRY_KEYS = 7;
const ENTRY_KEYS = 10;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && isWellFormedText(value);
}

function isOptionalText(value: unknown): boolean {
  return value === null || isText(value);
}

function hasValidContent(entry: Record<string, unknown>): boolean {
  return (
    typeof entry['eventId'] === 'string' &&
    UUID.test(entry['eventId']) &&
    isText(entry['type']) &&
    isOptionalText(entry['subject']) &&
    isOptionalText(entry['correlationId']) &&
    isText(entry['actor']) &&
    typeof entry['time'] === 'string' &&
    ISO_DATETIME.test(entry['time']) &&
    entry['payload'] !== undefined &&
    findJsonValueProblem(entry['payload']) === null
  );
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Counts own enumerable keys and checks each is one of the allowed ones. */
function hasOnlyKeys(
  value: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  expected: number,
): boolean {
  let count = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (!allowed.has(key)) return false;
    count += 1;
  }
  return count === expected;
}

const NEW_ENTRY_KEY_SET: ReadonlySet<string> = new Set([
  'eventId',
  'type',
  'subject',
  'correlationId',
  'actor',
  'time',
  'payload',
]);
const ENTRY_KEY_SET: ReadonlySet<string> = new Set([...NEW_ENTRY_KEY_SET, 'seq', 'prevHash', 'hash']);

/** True when `value` is certainly a valid new entry (what `newAuditEntrySchema` accepts). */
export function isValidNewEntry(value: unknown): boolean {
  return (
    isPlainRecord(value) && hasOnlyKeys(value, NEW_ENTRY_KEY_SET, NEW_ENTRY_KEYS) && hasValidContent(value)
  );
}

/** True when `value` is certainly a valid chained entry (what `auditEntrySchema` accepts). */
export function isValidEntry(value: unknown): boolean {
  if (!isPlainRecord(value) || !hasOnlyKeys(value, ENTRY_KEY_SET, ENTRY_KEYS)) return false;
  const { seq, prevHash, hash } = value;
  return (
    typeof seq === 'number' &&
    Number.isSafeInteger(seq) &&
    seq > 0 &&
    typeof prevHash === 'string' &&
    SHA256_HEX.test(prevHash) &&
    typeof hash === 'string' &&
    SHA256_HEX.test(hash) &&
    hasValidContent(value)
  );
}
