/** Limits every signer and every agent agree on. Change them together, and say so in an ADR. */

/** A command may live at most this long (expiresAt - issuedAt), so an agent need not remember nonces for longer. */
export const MAX_COMMAND_LIFETIME_MS = 60 * 60 * 1000;

/** Default tolerance between the orchestrator's clock and an agent's. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 30 * 1000;

/** A nonce carries at least this many random bytes (128 bits). */
export const MIN_NONCE_BYTES = 16;

/** Longest nonce accepted, in base64url characters (guards the nonce log against junk). */
export const MAX_NONCE_CHARS = 128;
