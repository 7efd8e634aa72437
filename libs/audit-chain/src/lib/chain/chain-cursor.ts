import { GENESIS_PREV_HASH, type AuditEntry } from '../entry/audit-entry';
import type { ChainFailure } from './chain-failure';
import { hashEntry } from './hash-entry';

/** What has been verified so far. */
export interface ChainCursor {
  readonly count: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly firstPrevHash: string | null;
  /** Hash of the last verified entry. */
  readonly headHash: string | null;
}

export interface ChainRules {
  /**
   * 'contiguous': every seq follows the previous one and every prevHash links to the previous hash.
   * 'subset' (filtered export): seqs only increase; links are checked only between consecutive seqs.
   */
  readonly linkage: 'contiguous' | 'subset';
  /** Seq the first entry must have (contiguous only). */
  readonly expectedFirstSeq?: number;
  /** prevHash the first entry must have. */
  readonly expectedPrevHash?: string;
}

export type ChainStep = { ok: true; cursor: ChainCursor } | { ok: false; failure: ChainFailure };

export const EMPTY_CURSOR: ChainCursor = {
  count: 0,
  firstSeq: null,
  lastSeq: null,
  firstPrevHash: null,
  headHash: null,
};

/** The seq the next entry should have, when it is known (used to name a malformed record). */
export function expectedNextSeq(cursor: ChainCursor, rules: ChainRules): number | null {
  if (cursor.lastSeq !== null) return rules.linkage === 'contiguous' ? cursor.lastSeq + 1 : null;
  return rules.expectedFirstSeq ?? null;
}

function checkSeq(
  cursor: ChainCursor,
  entry: AuditEntry,
  rules: ChainRules,
  index: number,
): ChainFailure | null {
  const fail = (reason: ChainFailure['reason'], message: string): ChainFailure => ({
    reason,
    seq: entry.seq,
    index,
    message,
  });
  if (cursor.lastSeq === null) {
    const expected = rules.expectedFirstSeq;
    if (expected === undefined || entry.seq === expected) return null;
    return entry.seq > expected
      ? fail(
          'seq-gap',
          `first entry has seq ${entry.seq}, expected ${expected}: entries ${expected}..${entry.seq - 1} are missing`,
        )
      : fail('seq-out-of-order', `first entry has seq ${entry.seq}, expected ${expected}`);
  }
  if (entry.seq <= cursor.lastSeq) {
    return fail(
      'seq-out-of-order',
      `entry seq ${entry.seq} follows seq ${cursor.lastSeq}: seqs must strictly increase (duplicate, reordered or forked entry)`,
    );
  }
  if (rules.linkage === 'contiguous' && entry.seq !== cursor.lastSeq + 1) {
    return fail(
      'seq-gap',
      `entry seq ${entry.seq} follows seq ${cursor.lastSeq}: entries ${cursor.lastSeq + 1}..${entry.seq - 1} are missing`,
    );
  }
  return null;
}

function requiredPrevHash(
  cursor: ChainCursor,
  entry: AuditEntry,
  rules: ChainRules,
): { hash: string; source: string } | null {
  if (entry.seq === 1) return { hash: GENESIS_PREV_HASH, source: 'the genesis value (64 zeros)' };
  if (cursor.lastSeq === null) {
    return rules.expectedPrevHash === undefined
      ? null
      : { hash: rules.expectedPrevHash, source: 'the expected prevHash' };
  }
  if (entry.seq === cursor.lastSeq + 1 && cursor.headHash !== null) {
    return { hash: cursor.headHash, source: `the hash of entry ${cursor.lastSeq}` };
  }
  return null;
}

/**
 * Verifies one more entry against what came before. Order of checks: seq, then the entry's own
 * hash (content), then the link to the previous entry, so that an altered entry is reported at
 * its own seq and a replaced-then-rehashed entry at the next one.
 */
export function advanceChain(cursor: ChainCursor, entry: AuditEntry, rules: ChainRules): ChainStep {
  const index = cursor.count;
  const seqFailure = checkSeq(cursor, entry, rules, index);
  if (seqFailure !== null) return { ok: false, failure: seqFailure };
  const recomputed = hashEntry(entry);
  if (recomputed !== entry.hash) {
    return {
      ok: false,
      failure: {
        reason: 'hash-mismatch',
        seq: entry.seq,
        index,
        message: `entry ${entry.seq} has hash ${entry.hash} but its content hashes to ${recomputed}: the entry was altered`,
      },
    };
  }
  const required = requiredPrevHash(cursor, entry, rules);
  if (required !== null && entry.prevHash !== required.hash) {
    return {
      ok: false,
      failure: {
        reason: 'prev-hash-mismatch',
        seq: entry.seq,
        index,
        message: `entry ${entry.seq} has prevHash ${entry.prevHash} but ${required.source} is ${required.hash}: the previous entry was replaced or the chain forked`,
      },
    };
  }
  return {
    ok: true,
    cursor: {
      count: cursor.count + 1,
      firstSeq: cursor.firstSeq ?? entry.seq,
      lastSeq: entry.seq,
      firstPrevHash: cursor.firstPrevHash ?? entry.prevHash,
      headHash: entry.hash,
    },
  };
}
