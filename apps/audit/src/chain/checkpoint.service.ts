import { errorMessage } from '@conveyor/errors';
import { AUDIT_SETTINGS, type AuditSettings } from '../config/audit-env';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { signCheckpoint, type AuditEntry, type SignedCheckpoint } from '@conveyor/audit-chain';
import type { TransactionalBus } from '@conveyor/messaging';
import type { DataSource } from 'typeorm';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { AuditMetrics } from '../metrics/audit-metrics';
import type { AuditSigningKey } from '../config/signing-key.loader';
import { AuditEntriesRepository } from './audit-entries.repository';
import {
  AUDIT_CHECKPOINT_DIRECTORY,
  AUDIT_SIGNING_KEY,
  AUDIT_WRITER,
  AUDIT_WRITER_BUS,
} from './audit.tokens';
import type { CheckpointDirectory } from './checkpoint-directory';
import { ChainAppender } from './chain-appender.service';
import { checkpointDue } from './checkpoint-policy';
import { CheckpointsRepository } from './checkpoints.repository';

/** The service's own announcement of a checkpoint; it comes back as an entry and is not counted. */
const OWN_ANNOUNCEMENT = 'audit.checkpoint.created';

/**
 * Signs `{seq, headHash, time}` of the chain's head with the service's Ed25519 key every N
 * entries or T milliseconds (when anything arrived), stores it and announces it
 * (`audit.checkpoint.created`, through the outbox in the same transaction).
 */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap, OnApplicationShutdown {
  private entriesSince = 0;
  private lastSignedAt = Date.now();
  private timer?: NodeJS.Timeout;
  private signing?: Promise<void>;

  constructor(
    private readonly appender: ChainAppender,
    @Inject(AUDIT_WRITER) private readonly writer: DataSource,
    private readonly entries: AuditEntriesRepository,
    private readonly checkpoints: CheckpointsRepository,
    @Inject(AUDIT_WRITER_BUS) private readonly bus: TransactionalBus,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
    @Inject(AUDIT_CHECKPOINT_DIRECTORY) private readonly directory: CheckpointDirectory,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    private readonly metrics: AuditMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const [head, latest] = await Promise.all([
      this.entries.head(this.writer.manager),
      this.checkpoints.latest(this.writer.manager),
    ]);
    this.entriesSince = (head?.seq ?? 0) - (latest?.seq ?? 0);
    // The newest checkpoint may have been stored but not published before a crash.
    if (latest !== null) await this.publish(latest);
    this.appender.onAppended((appended) => this.counted(appended));
    this.timer = setInterval(() => this.consider(), Math.min(this.settings.checkpointIntervalMs, 1_000));
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.signing;
  }

  /** Signs a checkpoint of the current head now (also used by tests and the API). */
  async signNow(): Promise<SignedCheckpoint | null> {
    const head = await this.entries.head(this.writer.manager);
    if (head === null) return null;
    const counted = this.entriesSince;
    const checkpoint = signCheckpoint(
      { seq: head.seq, headHash: head.hash, time: new Date().toISOString() },
      this.key.privateKeyPem,
    );
    const stored = await this.bus.transaction(async (unit) => {
      if (!(await this.checkpoints.insert(unit.manager, checkpoint))) return false;
      const { seq, headHash, time, keyId, signature } = checkpoint;
      unit.emit(OWN_ANNOUNCEMENT, { seq, headHash, time, keyId, signature });
      return true;
    });
    if (stored) await this.publish(checkpoint);
    this.entriesSince = Math.max(0, this.entriesSince - counted);
    this.lastSignedAt = Date.now();
    this.logger.info({ seq: head.seq, keyId: checkpoint.keyId }, 'audit checkpoint signed');
    return checkpoint;
  }

  /** Publishes to AUDIT_CHECKPOINT_DIR; a failure is logged as an error (the event still carries it). */
  private async publish(checkpoint: SignedCheckpoint): Promise<void> {
    try {
      const outcome = await this.directory.publish(checkpoint);
      if (outcome === 'written')
        this.logger.info({ seq: checkpoint.seq, dir: this.directory.path }, 'audit checkpoint published');
    } catch (error) {
      this.metrics.checkpointPublishFailed();
      this.logger.error(
        { seq: checkpoint.seq, err: errorMessage(error) },
        'audit checkpoint NOT published to AUDIT_CHECKPOINT_DIR',
      );
    }
  }

  private counted(appended: readonly AuditEntry[]): void {
    for (const entry of appended) if (entry.type !== OWN_ANNOUNCEMENT) this.entriesSince += 1;
    this.consider();
  }

  private consider(): void {
    if (this.signing !== undefined) return;
    const state = { entriesSince: this.entriesSince, msSinceLast: Date.now() - this.lastSignedAt };
    if (
      !checkpointDue(state, {
        every: this.settings.checkpointEvery,
        intervalMs: this.settings.checkpointIntervalMs,
      })
    )
      return;
    this.signing = this.signNow()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.warn({ err: errorMessage(error) }, 'audit checkpoint not signed; will retry'),
      )
      .finally(() => {
        this.signing = undefined;
      });
  }
}
