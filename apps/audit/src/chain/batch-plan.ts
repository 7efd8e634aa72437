import type { NewAuditEntry } from '@conveyor/audit-chain';

/** What a batch appends: each event id once, and none already in the chain. */
export interface BatchPlan {
  readonly fresh: NewAuditEntry[];
  /** Entries not appended: already in the chain, or a second copy within the batch. */
  readonly skipped: number;
}

/**
 * Decides which of a batch's entries go into the chain, in arrival order. A redelivered event
 * (its id already in the chain, or twice in the batch) adds nothing. Pure.
 */
export function planBatch(
  candidates: readonly NewAuditEntry[],
  alreadyChained: ReadonlySet<string>,
): BatchPlan {
  const seen = new Set<string>();
  const fresh: NewAuditEntry[] = [];
  for (const entry of candidates) {
    if (alreadyChained.has(entry.eventId) || seen.has(entry.eventId)) continue;
    seen.add(entry.eventId);
    fresh.push(entry);
  }
  return { fresh, skipped: candidates.length - fresh.length };
}

/** Splits a queue into the batches appended one transaction each. Pure. */
export function takeBatch<T>(queue: T[], maxBatch: number): T[] {
  return queue.splice(0, Math.max(1, maxBatch));
}
