import type { SignedCommand } from '../command/command.schema';

/** Why an agent refused a command, in the order the checks run. */
export const REJECTION_REASONS = [
  'unsigned',
  'malformed',
  'unknown_key',
  'bad_signature',
  'not_yet_valid',
  'expired',
  'not_for_me',
  'replayed',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface CommandRejected<P = unknown> {
  ok: false;
  reason: RejectionReason;
  /** What is wrong, for the agent's refusal event and logs. Never contains key material. */
  detail: string;
  /**
   * Set only when `reason` is `replayed`: every other check passed, so the command is authentic,
   * fresh and meant for this agent, it was merely accepted before. An agent uses it to answer a
   * redelivered command with the result it recorded (instead of running it again).
   */
  command?: SignedCommand<P>;
}

export interface CommandAccepted<P> {
  ok: true;
  /** The validated command; its nonce is now recorded, so it will never be accepted again. */
  command: SignedCommand<P>;
}

export type CheckResult<P> = CommandAccepted<P> | CommandRejected<P>;

export function rejected(reason: RejectionReason, detail: string): CommandRejected<never> {
  return { ok: false, reason, detail };
}
