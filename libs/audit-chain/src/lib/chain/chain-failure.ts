/** Why a chain (or an export of it) stops being trustworthy at a given entry. */
export type ChainFailureReason =
  /** The record is not a well-formed entry (bad JSON/CSV, missing or invalid field, unknown field). */
  | 'malformed-entry'
  /** Recomputing the entry's hash from its content gives another value: the entry was altered. */
  | 'hash-mismatch'
  /** The entry's seq skips one or more numbers: entries are missing. */
  | 'seq-gap'
  /** The entry's seq is not greater than the previous one: duplicated, reordered or forked entries. */
  | 'seq-out-of-order'
  /** The entry's prevHash is not the hash of the entry before it: an entry was replaced or the chain forked. */
  | 'prev-hash-mismatch';

export interface ChainFailure {
  readonly reason: ChainFailureReason;
  /** The seq at which the chain breaks: the entry's own seq, or the expected one if it has none readable. */
  readonly seq: number | null;
  /** 0-based position of the entry in the input. */
  readonly index: number;
  readonly message: string;
}
