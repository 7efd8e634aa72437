/**
 * Remembers the nonces of accepted commands so none is accepted twice. Implementations must
 * make `recordIfNew` atomic: of any number of concurrent calls with the same nonce, exactly
 * one resolves `true`, and only once the nonce is stored as durably as the store promises.
 */
export interface NonceStore {
  /**
   * Records `nonce` until `keepUntil` and resolves `true`, or resolves `false` if it is already
   * remembered (and has not passed its own keepUntil at `now`).
   */
  recordIfNew(nonce: string, keepUntil: Date, now: Date): Promise<boolean>;
  /** Whether `nonce` is remembered at `now`. */
  has(nonce: string, now: Date): boolean;
  /** Forgets every nonce whose keepUntil is at or before `now`; returns how many it forgot. */
  prune(now: Date): Promise<number>;
}
