import { errorMessage } from '@conveyor/errors';
import { AUDIT_SETTINGS, type AuditSettings } from '../config/audit-env';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AuditEntry, NewAuditEntry } from '@conveyor/audit-chain';
import type { DataSource } from 'typeorm';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { AuditMetrics } from '../metrics/audit-metrics';
import { AuditEntriesRepository } from './audit-entries.repository';
import { AUDIT_WRITER } from './audit.tokens';

import { takeBatch } from './batch-plan';

interface Pending {
  readonly entry: NewAuditEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Told about every committed batch (the checkpoint scheduler listens). */
export type AppendListener = (appended: readonly AuditEntry[]) => void;

/**
 * Collects entries from concurrent event handlers and appends them in batches, one transaction
 * per batch, one batch at a time. `append` resolves once the entry's batch has committed, so the
 * message is acknowledged only when its entry is durably in the chain; if the batch fails, every
 * handler in it fails and RabbitMQ redelivers.
 */
@Injectable()
export class ChainAppender implements OnApplicationShutdown {
  private readonly queue: Pending[] = [];
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private readonly listeners: AppendListener[] = [];

  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: DataSource,
    private readonly entries: AuditEntriesRepository,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    private readonly metrics: AuditMetrics,
  ) {}

  onAppended(listener: AppendListener): void {
    this.listeners.push(listener);
  }

  append(entry: NewAuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.schedule();
    });
  }

  /** Appends what is still queued. */
  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.drain();
  }

  private schedule(): void {
    if (this.draining !== undefined) return; // the running drain takes it in its next batch
    if (this.queue.length >= this.settings.batchMax) {
      void this.drain();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.drain(), this.settings.batchWaitMs);
    }
  }

  private drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.draining ??= this.appendAll().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.schedule();
    });
    return this.draining;
  }

  private async appendAll(): Promise<void> {
    while (this.queue.length > 0) await this.appendBatch(takeBatch(this.queue, this.settings.batchMax));
  }

  private async appendBatch(batch: Pending[]): Promise<void> {
    const stopTimer = this.metrics.appendStarted();
    try {
      const candidates = batch.map((pending) => pending.entry);
      const outcome = await this.writer.transaction((manager) => this.entries.append(manager, candidates));
      stopTimer();
      this.metrics.appended(outcome.appended.length, outcome.head?.seq);
      for (const pending of batch) pending.resolve();
      if (outcome.appended.length > 0) for (const listener of this.listeners) listener(outcome.appended);
    } catch (error) {
      stopTimer();
      this.logger.warn(
        { size: batch.length, err: errorMessage(error) },
        'audit batch not appended; its events will be redelivered',
      );
      for (const pending of batch) pending.reject(error);
    }
  }
}
