import type { Logger } from '@conveyor/observability';
import { consumerPausedForDatabase } from './messaging-metrics';
import { probeDelayMs } from './redelivery';

/**
 * Held open while the database answers. When a handler fails because the database cannot be
 * reached, its message waits here (neither acked nor requeued: with the prefetch full, the broker
 * sends nothing more) while one loop probes the database with growing delays; every waiting
 * message is handled again once it answers, without counting an attempt.
 */
export class DatabaseGate {
  private waiting?: Promise<boolean>;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly logger: Logger,
    private readonly queue: string,
    private readonly delayFor: (probe: number) => number = (n) => probeDelayMs(n),
  ) {}

  /** Resolves true once the database answers, false if the gate was stopped meanwhile. */
  waitUntilAvailable(): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    this.waiting ??= this.probeUntilAvailable().finally(() => {
      this.waiting = undefined;
    });
    return this.waiting;
  }

  /** Gives up waiting (the consumer stops): waiting messages are returned to the queue. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async probeUntilAvailable(): Promise<boolean> {
    consumerPausedForDatabase.inc({ queue: this.queue });
    this.logger.warn({ queue: this.queue }, 'database unreachable: consumption paused, probing it');
    const started = Date.now();
    for (let probe = 0; !this.stopped; probe += 1) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.delayFor(probe));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      if (this.stopped) break;
      try {
        await this.probe();
        this.logger.warn(
          { queue: this.queue, pausedMs: Date.now() - started, probes: probe + 1 },
          'database answers again: consumption resumed',
        );
        return true;
      } catch {
        /* still unreachable */
      }
    }
    return false;
  }
}
