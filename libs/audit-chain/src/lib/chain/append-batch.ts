import {
  GENESIS_PREV_HASH,
  isSha256Hex,
  parseNewAuditEntry,
  type AuditEntry,
  type NewAuditEntry,
} from '../entry/audit-entry';
import { hashEntry } from './hash-entry';

/** The last entry of a chain, or null for an empty chain. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export class InvalidAppendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/**
 * Places new entries after `head`: seq head.seq+1, head.seq+2, … each linked to the previous
 * hash (the first to head.hash, or to 64 zeros when head is null). Pure: the caller stores the
 * result and must make sure nobody else appended after `head` in between (e.g. lock the head
 * row in the same transaction) — two batches appended to the same head would fork the chain.
 * Throws InvalidAppendError naming the offending entry and field.
 */
export function appendBatch(head: ChainHead | null, newEntries: readonly NewAuditEntry[]): AuditEntry[] {
  if (head !== null && (!Number.isSafeInteger(head.seq) || head.seq < 1 || !isSha256Hex(head.hash))) {
    throw new InvalidAppendError(
      `head must have a positive integer seq and a lowercase hex SHA-256 hash, got seq=${String(head.seq)} hash=${head.hash}`,
    );
  }
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_PREV_HASH;
  return newEntries.map((candidate, index) => {
    const parsed = parseNewAuditEntry(candidate);
    if (!parsed.ok)
      throw new InvalidAppendError(
        `new entry #${index} (eventId ${String(candidate.eventId)}) is invalid: ${parsed.message}`,
      );
    seq += 1;
    const { eventId, type, subject, correlationId, actor, time, payload } = parsed.entry;
    const unhashed = { seq, eventId, type, subject, correlationId, actor, time, payload, prevHash };
    const entry: AuditEntry = { ...unhashed, hash: hashEntry(unhashed) };
    prevHash = entry.hash;
    return entry;
  });
}
