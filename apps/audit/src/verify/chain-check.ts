import type { AuditEntry, ChainVerification, SignedCheckpoint, SignatureCheck } from '@conveyor/audit-chain';

/** What `GET /audit/verify` answers. */
export interface ChainReport {
  readonly ok: boolean;
  /** Entries recomputed before the first problem (all of them when ok). */
  readonly verifiedEntries: number;
  readonly headSeq: number;
  readonly headHash: string | null;
  readonly checkpointsChecked: number;
  readonly firstBadSeq: number | null;
  readonly reason: string | null;
  readonly message: string | null;
}

export interface ChainCheckInput {
  readonly head: { seq: number; hash: string } | null;
  readonly chain: ChainVerification;
  readonly checkpoints: readonly SignedCheckpoint[];
  /** Hash of the entry at each checkpoint's seq, as read while verifying. */
  readonly hashesAt: ReadonlyMap<number, string>;
  readonly checkSignature: (checkpoint: SignedCheckpoint) => SignatureCheck;
}

/**
 * Combines the link-by-link check of the stored chain with the head row and the signed
 * checkpoints into one report naming the first bad seq. Pure.
 */
export function assessChain(input: ChainCheckInput): ChainReport {
  const { head, chain } = input;
  const base = {
    headSeq: head?.seq ?? 0,
    headHash: head?.hash ?? null,
    checkpointsChecked: input.checkpoints.length,
  };
  const failure = (
    seq: number | null,
    reason: string,
    message: string,
    verifiedEntries: number,
  ): ChainReport => ({
    ok: false,
    ...base,
    verifiedEntries,
    firstBadSeq: seq,
    reason,
    message,
  });
  if (!chain.ok) return failure(chain.seq, chain.reason, chain.message, chain.verifiedCount);
  const expected = head?.seq ?? 0;
  if (chain.count !== expected) {
    const missingFrom = (chain.lastSeq ?? 0) + 1;
    return failure(
      missingFrom,
      'seq-gap',
      `the head says the chain has ${expected} entries but ${chain.count} were found: entries from ${missingFrom} are missing`,
      chain.count,
    );
  }
  if (head !== null && chain.headHash !== head.hash) {
    return failure(
      head.seq,
      'head-mismatch',
      `the head row says entry ${head.seq} has hash ${head.hash}, but the entry has ${String(chain.headHash)}`,
      chain.count,
    );
  }
  for (const checkpoint of input.checkpoints) {
    const signature = input.checkSignature(checkpoint);
    if (!signature.ok)
      return failure(checkpoint.seq, 'checkpoint-signature-invalid', signature.message, chain.count);
    const hash = input.hashesAt.get(checkpoint.seq);
    if (hash !== checkpoint.headHash) {
      return failure(
        checkpoint.seq,
        'checkpoint-mismatch',
        `the checkpoint signed for entry ${checkpoint.seq} says hash ${checkpoint.headHash}, but the entry has ${String(hash)}: the chain was rewritten after the checkpoint`,
        chain.count,
      );
    }
  }
  return { ok: true, ...base, verifiedEntries: chain.count, firstBadSeq: null, reason: null, message: null };
}

/** Passes entries through, remembering the hash of those at the wanted seqs. */
export async function* recordingHashes(
  entries: AsyncIterable<AuditEntry>,
  wanted: ReadonlySet<number>,
  into: Map<number, string>,
): AsyncGenerator<AuditEntry> {
  for await (const entry of entries) {
    if (wanted.has(entry.seq)) into.set(entry.seq, entry.hash);
    yield entry;
  }
}
