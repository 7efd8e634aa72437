import type { NonceStore } from './nonce-store';

/**
 * Nonces in memory only: for tests, benchmarks and tools. An agent must use `FileNonceStore`,
 * or a restart would forget every nonce and accept replays until the commands expire.
 */
export class MemoryNonceStore implements NonceStore {
  private readonly nonces = new Map<string, number>();
  private recordsSincePrune = 0;

  constructor(private readonly pruneEvery = 1000) {}

  recordIfNew(nonce: string, keepUntil: Date, now: Date): Promise<boolean> {
    if (this.has(nonce, now)) {
      return Promise.resolve(false);
    }
    this.nonces.set(nonce, keepUntil.getTime());
    if (++this.recordsSincePrune >= this.pruneEvery) {
      this.forgetExpired(now);
    }
    return Promise.resolve(true);
  }

  has(nonce: string, now: Date): boolean {
    const keepUntil = this.nonces.get(nonce);
    return keepUntil !== undefined && keepUntil > now.getTime();
  }

  prune(now: Date): Promise<number> {
    return Promise.resolve(this.forgetExpired(now));
  }

  /** Nonces held, including any expired but not yet pruned. */
  get size(): number {
    return this.nonces.size;
  }

  private forgetExpired(now: Date): number {
    this.recordsSincePrune = 0;
    let forgotten = 0;
    for (const [nonce, keepUntil] of this.nonces) {
      if (keepUntil <= now.getTime()) {
        this.nonces.delete(nonce);
        forgotten++;
      }
    }
    return forgotten;
  }
}
