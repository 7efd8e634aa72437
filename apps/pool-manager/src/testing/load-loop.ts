import { errorMessage } from '@conveyor/errors';
import { httpGet } from '@conveyor/testing';

export interface LoadReport {
  readonly ok: number;
  readonly failed: number;
  /** The first few failures: status codes or error messages. */
  readonly failures: string[];
  readonly byBackend: Record<string, number>;
}

/** Customers: a few workers sending GET / through HAProxy back to back, one connection each (no keep-alive). */
export class LoadLoop {
  private running = true;
  private ok = 0;
  private failed = 0;
  private readonly failures: string[] = [];
  private readonly byBackend: Record<string, number> = {};
  private readonly workers: Promise<void>[];

  constructor(
    private readonly url: string,
    concurrency = 4,
  ) {
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  get total(): number {
    return this.ok + this.failed;
  }

  async stop(): Promise<LoadReport> {
    this.running = false;
    await Promise.all(this.workers);
    return { ok: this.ok, failed: this.failed, failures: this.failures, byBackend: { ...this.byBackend } };
  }

  private async work(): Promise<void> {
    while (this.running) {
      try {
        const response = await httpGet(this.url, 5000);
        if (response.status >= 200 && response.status < 300) {
          this.ok += 1;
          const backend = response.backendId ?? 'unknown';
          this.byBackend[backend] = (this.byBackend[backend] ?? 0) + 1;
        } else {
          this.fail(`HTTP ${response.status}: ${response.body.slice(0, 80)}`);
        }
      } catch (error) {
        this.fail(errorMessage(error));
      }
    }
  }

  private fail(what: string): void {
    this.failed += 1;
    if (this.failures.length < 10) this.failures.push(what);
  }
}
