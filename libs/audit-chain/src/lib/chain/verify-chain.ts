import { parseAuditEntry } from '../entry/audit-entry';
import { advanceChain, EMPTY_CURSOR, expectedNextSeq, type ChainCursor } from './chain-cursor';
import type { ChainFailure } from './chain-failure';

export interface VerifyChainOptions {
  /** Seq the first entry must have (e.g. 1 for a whole chain). */
  readonly expectedFirstSeq?: number;
  /** prevHash the first entry must have (e.g. the hash of the entry before a range). */
  readonly expectedPrevHash?: string;
}

export type ChainVerification =
  | { ok: true; count: number; firstSeq: number | null; lastSeq: number | null; headHash: string | null }
  | ({ ok: false; verifiedCount: number } & ChainFailure);

/**
 * Verifies a contiguous run of entries link by link (entries may come from a database cursor as
 * plain objects; each is validated). Stops at the first broken entry and names its seq.
 */
export async function verifyChain(
  entries: Iterable<unknown> | AsyncIterable<unknown>,
  options: VerifyChainOptions = {},
): Promise<ChainVerification> {
  const rules = { linkage: 'contiguous' as const, ...options };
  let cursor: ChainCursor = EMPTY_CURSOR;
  for await (const candidate of entries) {
    const parsed = parseAuditEntry(candidate);
    if (!parsed.ok) {
      return {
        ok: false,
        verifiedCount: cursor.count,
        reason: 'malformed-entry',
        seq: expectedNextSeq(cursor, rules),
        index: cursor.count,
        message: parsed.message,
      };
    }
    const step = advanceChain(cursor, parsed.entry, rules);
    if (!step.ok) return { ok: false, verifiedCount: cursor.count, ...step.failure };
    cursor = step.cursor;
  }
  return {
    ok: true,
    count: cursor.count,
    firstSeq: cursor.firstSeq,
    lastSeq: cursor.lastSeq,
    headHash: cursor.headHash,
  };
}
