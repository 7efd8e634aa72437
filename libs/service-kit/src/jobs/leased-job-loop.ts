import { errorMessage } from '@conveyor/errors';
import type { Logger } from '@conveyor/observability';

export interface LeasedJobLoopOptions<R> {
  /** For logs: `verification`, `bake`. */
  kind: string;
  pollMs: number;
  maxActive: number;
  leaseMs: number;
  logger: Logger;
  /** Claims up to `limit` unheld items for this instance (with a lease). */
  claim(limit: number): Promise<R[]>;
  idOf(row: R): string;
  /** Extends the lease; false when another instance took the item over. */
  renew(id: string): Promise<boolean>;
  /** Gives the item back on shutdown, so it is resumed at once elsewhere or after the restart. */
  release(id: string): Promise<void>;
  /** Does the work; `stop` aborts on shutdown or lost lease: then it returns without finishing. */
  run(row: R, stop: AbortSignal): Promise<void>;
  /** Who is stopping, for the abort reason (`the verifier`). Default: `the service`. */
  serviceName?: string;
}

/**
 * The one leased loop of every service's background work (verifier verifications and bakes, pool
 * manager operations). Polls for work held by nobody (new, or left by a dead instance once its lease expired),
 * runs at most `maxActive` items at once, renews their leases while they run, and on
 * shutdown stops them and releases their leases.
 */
export class LeasedJobLoop<R> {
  private readonly active = new Map<string, { stop: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;

  constructor(private readonly options: LeasedJobLoopOptions<R>) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for work soon (after a request was recorded). */
  wake(): void {
    if (!this.stopped) this.schedule(20);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const running = [...this.active.entries()];
    for (const [, job] of running)
      job.stop.abort(new Error(`${this.options.serviceName ?? 'the service'} is shutting down`));
    await Promise.all(running.map(([, job]) => job.done));
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    if (this.stopped || this.polling) return;
    this.polling = true;
    try {
      const free = this.options.maxActive - this.active.size;
      if (free > 0) for (const row of await this.options.claim(free)) this.launch(row);
    } catch (error) {
      this.options.logger.warn(
        { kind: this.options.kind, err: describeError(error) },
        'claiming work failed; will retry',
      );
    } finally {
      this.polling = false;
      if (!this.stopped) this.schedule(this.options.pollMs);
    }
  }

  private launch(row: R): void {
    const id = this.options.idOf(row);
    const stop = new AbortController();
    const renewal = setInterval(
      () => {
        this.options
          .renew(id)
          .then((held) => {
            if (!held) stop.abort(new Error('another instance took this over (lease lost)'));
          })
          .catch((error: unknown) =>
            this.options.logger.warn({ id, err: describeError(error) }, 'lease renewal failed'),
          );
      },
      Math.max(1_000, Math.floor(this.options.leaseMs / 3)),
    );
    let failed = false;
    const done = this.options
      .run(row, stop.signal)
      .catch((error: unknown) => {
        failed = true;
        this.options.logger.error(
          { kind: this.options.kind, id, err: describeError(error) },
          'run failed; it will be resumed',
        );
      })
      .then(async () => {
        clearInterval(renewal);
        await this.options.release(id).catch(() => undefined);
      })
      .finally(() => {
        this.active.delete(id);
        // After a failure, look again at the next poll rather than at once (no hot loop).
        if (!this.stopped) this.schedule(failed ? this.options.pollMs : 20);
      });
    this.active.set(id, { stop, done });
  }
}

function describeError(error: unknown): string {
  const message = errorMessage(error);
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? message : `${message}: ${errorMessage(cause)}`;
}
