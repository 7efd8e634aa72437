/** What the checkpoint scheduler knows when it decides. */
export interface CheckpointState {
  /** Entries appended since the last checkpoint, not counting the audit service's own checkpoint announcements. */
  readonly entriesSince: number;
  readonly msSinceLast: number;
}

export interface CheckpointPolicy {
  /** Sign after this many entries … */
  readonly every: number;
  /** … or after this long, when anything arrived since. */
  readonly intervalMs: number;
}

/**
 * Whether to sign a checkpoint now. Nothing new, nothing to sign: this is also what keeps the
 * service's own `audit.checkpoint.created` events (which come back to it as entries) from
 * causing checkpoints forever. Pure.
 */
export function checkpointDue(state: CheckpointState, policy: CheckpointPolicy): boolean {
  if (state.entriesSince <= 0) return false;
  return state.entriesSince >= policy.every || state.msSinceLast >= policy.intervalMs;
}
