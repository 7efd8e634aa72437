import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFileDurably } from './durable-file';
import { formatNonceLog, formatNonceRecord, parseNonceLog } from './nonce-log';
import type { NonceStore } from './nonce-store';

export interface FileNonceStoreOptions {
  /** Clock used to drop expired nonces while opening. Default: the current time. */
  now?: Date;
  /** Rewrite the log (dropping expired nonces) after this many appends, or as many as were live at the last rewrite if more. Default 10 000. */
  compactAfterAppends?: number;
}

const LOG_FILE = 'nonces.log';

/**
 * Nonces on disk, for agents: an append-only log (`<dir>/nonces.log`), fsynced before a nonce
 * counts as recorded, rewritten atomically (temp file, fsync, rename) on open and when it grows,
 * keeping only nonces not yet past their keepUntil. Concurrent `recordIfNew` calls in one process
 * are decided synchronously in memory, so exactly one wins; appends arriving together share one
 * fsync. One process per directory.
 */
export class FileNonceStore implements NonceStore {
  private tail: Promise<void> = Promise.resolve();
  private pendingLines: string[] = [];
  private nextFlush: Promise<void> | undefined;
  private appendsSinceCompaction = 0;
  private liveAfterCompaction: number;
  private closed = false;

  private constructor(
    private readonly logPath: string,
    private readonly nonces: Map<string, number>,
    private handle: FileHandle,
    private readonly compactAfterAppends: number,
  ) {
    this.liveAfterCompaction = nonces.size;
  }

  /** Opens (or creates) the store in `dir`, forgetting nonces expired at `options.now`. */
  static async open(dir: string, options: FileNonceStoreOptions = {}): Promise<FileNonceStore> {
    const now = options.now ?? new Date();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const logPath = join(dir, LOG_FILE);
    const parsed = parseNonceLog(await readIfExists(logPath), now.getTime());
    if (!parsed.ok) {
      throw new Error(
        `nonce log ${logPath} is corrupt (${parsed.detail}); refusing to start without replay protection. ` +
          'Keep the agent stopped for the maximum command lifetime, then remove the file.',
      );
    }
    await replaceFileDurably(logPath, formatNonceLog(parsed.live));
    const handle = await open(logPath, 'a', 0o600);
    return new FileNonceStore(logPath, parsed.live, handle, options.compactAfterAppends ?? 10_000);
  }

  async recordIfNew(nonce: string, keepUntil: Date, now: Date): Promise<boolean> {
    this.assertOpen();
    const keepUntilMs = keepUntil.getTime();
    const line = formatNonceRecord(nonce, keepUntilMs);
    // Decided before the first await: of racing calls for one nonce, only the first gets here.
    if (this.has(nonce, now)) {
      return false;
    }
    this.nonces.set(nonce, keepUntilMs);
    try {
      await this.appendDurably(line);
    } catch (error) {
      if (this.nonces.get(nonce) === keepUntilMs) this.nonces.delete(nonce);
      throw error;
    }
    // Rewriting costs the live set, so wait until at least as many records were appended: amortised O(1).
    if (++this.appendsSinceCompaction >= Math.max(this.compactAfterAppends, this.liveAfterCompaction)) {
      // The nonce is already durable; a failed compaction is retried after the next append,
      // and a log that can no longer be appended to fails that append loudly.
      await this.prune(now).catch(() => undefined);
    }
    return true;
  }

  has(nonce: string, now: Date): boolean {
    const keepUntilMs = this.nonces.get(nonce);
    return keepUntilMs !== undefined && keepUntilMs > now.getTime();
  }

  /** Forgets expired nonces and rewrites the log with the live ones only. */
  async prune(now: Date): Promise<number> {
    this.assertOpen();
    return this.serially(async () => {
      let forgotten = 0;
      for (const [nonce, keepUntilMs] of this.nonces) {
        if (keepUntilMs <= now.getTime()) {
          this.nonces.delete(nonce);
          forgotten++;
        }
      }
      const snapshot = formatNonceLog(this.nonces);
      await this.handle.close();
      try {
        await replaceFileDurably(this.logPath, snapshot);
      } finally {
        this.handle = await open(this.logPath, 'a', 0o600);
      }
      this.appendsSinceCompaction = 0;
      this.liveAfterCompaction = this.nonces.size;
      return forgotten;
    });
  }

  /** Nonces held in memory (and on disk). */
  get size(): number {
    return this.nonces.size;
  }

  /** Waits for pending writes, then closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.serially(() => this.handle.close());
  }

  /** Writes `line` with any others waiting, then fsyncs once for all of them. */
  private appendDurably(line: string): Promise<void> {
    this.pendingLines.push(line);
    if (this.nextFlush === undefined) {
      this.nextFlush = this.serially(async () => {
        this.nextFlush = undefined;
        const lines = this.pendingLines;
        this.pendingLines = [];
        await this.handle.appendFile(lines.join(''), 'utf8');
        await this.handle.datasync();
      });
    }
    return this.nextFlush;
  }

  /** Runs file operations one at a time, in call order. */
  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`nonce store ${this.logPath} is closed`);
  }
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
