/** Limits every signer and every agent agree on. Change them together, and say so in an ADR. */
export { MIN_NONCE_BYTES, MAX_NONCE_CHARS } from '@conveyor/contracts';

/** A command may live at most this long (expiresAt - issuedAt), so an agent need not remember nonces for longer. */
export const MAX_COMMAND_LIFETIME_MS = 60 * 60 * 1000;

/** Default tolerance between the orchestrator's clock and an agent's. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 30 * 1000;
