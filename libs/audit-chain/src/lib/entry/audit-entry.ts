import { z } from 'zod';
import { isValidEntry, isValidNewEntry } from './entry-validator';
import { findJsonValueProblem, isWellFormedText, type JsonValue } from './json-value';

/** prevHash of the first entry (seq 1): 64 zeros. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

const HEX_SHA256 = /^[0-9a-f]{64}$/;

const text = z
  .string()
  .min(1, 'must not be empty')
  .refine(isWellFormedText, 'contains an unpaired UTF-16 surrogate');
/** null means "none"; an empty string is not allowed so that CSV can tell the two apart. */
const optionalText = text.nullable();
const sha256Hex = z.string().regex(HEX_SHA256, 'must be 64 lowercase hex characters (a SHA-256)');
const jsonPayload = z.custom<JsonValue>(
  (value) => value !== undefined && findJsonValueProblem(value) === null,
  {
    error: (issue) => findJsonValueProblem(issue.input, 'payload') ?? 'payload is missing',
  },
);

const entryFields = {
  eventId: z.uuid(),
  type: text,
  subject: optionalText,
  correlationId: optionalText,
  actor: text,
  time: z.iso.datetime({ offset: true }),
  payload: jsonPayload,
};

/** The content of an event before it is placed in the chain (what the audit service appends). */
export const newAuditEntrySchema = z.strictObject(entryFields);
export type NewAuditEntry = z.infer<typeof newAuditEntrySchema>;

/** A chained entry. Unknown fields are refused: anything not covered by the hash could be altered freely. */
export const auditEntrySchema = z.strictObject({
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  ...entryFields,
  prevHash: sha256Hex,
  hash: sha256Hex,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The fields covered by `hash` besides prevHash (which is hashed as a prefix). */
export type HashedEntryFields = Omit<AuditEntry, 'hash' | 'prevHash'>;
/** An entry placed in the chain whose hash is still to be computed. */
export type UnhashedEntry = Omit<AuditEntry, 'hash'>;

export type EntryParseResult = { ok: true; entry: AuditEntry } | { ok: false; message: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'entry'}: ${issue.message}`)
    .join('; ');
}

/** Checks that an unknown value is a well-formed chained entry; says which field is wrong. */
export function parseAuditEntry(value: unknown): EntryParseResult {
  // The hand-written check is the fast path; zod runs only to explain a refusal.
  if (isValidEntry(value)) return { ok: true, entry: value as AuditEntry };
  const result = auditEntrySchema.safeParse(value);
  return result.success
    ? { ok: true, entry: result.data }
    : { ok: false, message: describeIssues(result.error) };
}

export function parseNewAuditEntry(
  value: unknown,
): { ok: true; entry: NewAuditEntry } | { ok: false; message: string } {
  if (isValidNewEntry(value)) return { ok: true, entry: value as NewAuditEntry };
  const result = newAuditEntrySchema.safeParse(value);
  return result.success
    ? { ok: true, entry: result.data }
    : { ok: false, message: describeIssues(result.error) };
}

export function isSha256Hex(value: string): boolean {
  return HEX_SHA256.test(value);
}
