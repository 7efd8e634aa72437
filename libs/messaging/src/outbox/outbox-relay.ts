import { errorMessage } from '@conveyor/errors';
import type { DataSource } from 'typeorm';
import { gauge } from '@conveyor/observability';
import type { Logger } from '@conveyor/observability';
import type { ConfirmedPublisher } from '../core/confirmed-publisher';
import { OutboxRepository } from './outbox.repository';

export interface OutboxRelayOptions {
  batchSize?: number;
  /** How often the relay looks for due rows when nobody woke it. */
  pollMs?: number;
  /** Back-off for a row whose publish failed, per attempt (capped at 30 s). */
  retryDelayMs?: number;
  /** Batches in flight at once (each its own transaction; SKIP LOCKED keeps them apart). */
  concurrency?: number;
}

const outboxBacklog = gauge({
  name: 'conveyor_outbox_backlog',
  help: 'Events committed to the outbox and not yet confirmed by RabbitMQ.',
  labelNames: ['service'] as const,
});

/**
 * Publishes committed outbox rows with confirms and deletes them once confirmed. If the process
 * dies between commit and publish, the rows are still there at the next start; if it dies
 * between publish and delete, they are published again and the consumers' inboxes drop the copy.
 */
export class OutboxRelay {
  private readonly repository: OutboxRepository;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private pendingWake = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly service: string,
    schema: string,
    private readonly publisher: ConfirmedPublisher,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.repository = new OutboxRepository(schema);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Called after a transaction that wrote to the outbox commits. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  async backlog(): Promise<number> {
    const n = await this.repository.backlog(this.dataSource);
    outboxBacklog.set({ service: this.service }, n);
    return n;
  }

  /** Publishes every due row once; returns how many were published. Exposed for tests and tools. */
  async relayDue(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    let published = 0;
    const worker = async () => {
      for (;;) {
        const count = await this.relayBatch(batchSize);
        published += count.published;
        if (count.claimed < batchSize) return;
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 3 }, worker));
    return published;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pendingWake = false;
      try {
        await this.relayDue();
        await this.backlog();
      } catch (error) {
        this.logger.error({ err: errorMessage(error) }, 'outbox relay failed');
      }
      if (!this.running) break;
      if (this.pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? 250);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async relayBatch(limit: number): Promise<{ claimed: number; published: number }> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.repository.claimDue(manager, limit);
      if (rows.length === 0) return { claimed: 0, published: 0 };
      const results = await Promise.allSettled(
        rows.map((row) => this.publisher.publish({ id: row.event_id, type: row.type, body: row.envelope })),
      );
      const done: string[] = [];
      for (const [i, result] of results.entries()) {
        const row = rows[i];
        if (result.status === 'fulfilled') {
          done.push(row.id);
          continue;
        }
        const reason = errorMessage(result.reason);
        const attempts = row.attempts;
        const delayMs = Math.min((this.options.retryDelayMs ?? 200) * 2 ** Math.min(attempts, 8), 30_000);
        await this.repository.postpone(manager, row.id, reason, delayMs);
        this.logger.warn(
          { type: row.type, eventId: row.event_id, reason, attempts: attempts + 1 },
          'outbox publish failed',
        );
      }
      await this.repository.remove(manager, done);
      return { claimed: rows.length, published: done.length };
    });
  }
}
