import { appendBatch, type ChainHead } from '../chain/append-batch';
import type { AuditEntry, NewAuditEntry } from '../entry/audit-entry';
import { newEntry } from './entry-fixtures';

/** Yields a valid chain of `count` entries, built batch by batch, never all in memory. */
export function* generateChain(
  count: number,
  makeEntry: (n: number) => NewAuditEntry = newEntry,
  batchSize = 1000,
): Generator<AuditEntry> {
  let head: ChainHead | null = null;
  for (let from = 1; from <= count; from += batchSize) {
    const size = Math.min(batchSize, count - from + 1);
    const batch = appendBatch(
      head,
      Array.from({ length: size }, (_, index) => makeEntry(from + index)),
    );
    for (const entry of batch) {
      yield entry;
      head = { seq: entry.seq, hash: entry.hash };
    }
  }
}
