import { errorMessage } from '@conveyor/errors';
import { AUDIT_SETTINGS, type AuditSettings } from '../config/audit-env';
import { Inject, Injectable } from '@nestjs/common';
import { verifyChain, verifyCheckpoint } from '@conveyor/audit-chain';
import type { TransactionalBus } from '@conveyor/messaging';
import type { DataSource } from 'typeorm';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { AuditMetrics } from '../metrics/audit-metrics';
import type { AuditSigningKey } from '../config/signing-key.loader';
import { AuditEntriesRepository } from '../chain/audit-entries.repository';
import { AUDIT_SIGNING_KEY, AUDIT_WRITER, AUDIT_WRITER_BUS } from '../chain/audit.tokens';
import { CheckpointsRepository } from '../chain/checkpoints.repository';
import { assessChain, recordingHashes, type ChainReport } from './chain-check';

/**
 * Recomputes the whole chain stored in the database (every hash and link, page by page), checks
 * the head row and every signed checkpoint, and reports the first broken entry. A failure is
 * counted and announced (`audit.verification.failed`).
 */
@Injectable()
export class ChainVerificationService {
  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: DataSource,
    private readonly entries: AuditEntriesRepository,
    private readonly checkpoints: CheckpointsRepository,
    @Inject(AUDIT_WRITER_BUS) private readonly bus: TransactionalBus,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    private readonly metrics: AuditMetrics,
  ) {}

  async verify(): Promise<ChainReport> {
    const manager = this.writer.manager;
    const head = await this.entries.head(manager);
    const upToSeq = head?.seq ?? 0;
    const checkpoints = await this.checkpoints.upTo(manager, upToSeq);
    const hashesAt = new Map<number, string>();
    const stored = recordingHashes(
      this.entries.stream(manager, {}, upToSeq, this.settings.pageSize),
      new Set(checkpoints.map((c) => c.seq)),
      hashesAt,
    );
    const chain = await verifyChain(stored, { expectedFirstSeq: 1 });
    const report = assessChain({
      head,
      chain,
      checkpoints,
      hashesAt,
      checkSignature: (c) => verifyCheckpoint(c, this.key.publicKeyPem),
    });
    if (!report.ok) await this.announceFailure(report);
    return report;
  }

  private async announceFailure(report: ChainReport): Promise<void> {
    this.metrics.verifyFailed();
    this.logger.error(
      { firstBadSeq: report.firstBadSeq, reason: report.reason },
      `audit chain verification failed: ${String(report.message)}`,
    );
    try {
      await this.bus.transaction(async (unit) => {
        unit.emit('audit.verification.failed', {
          firstBadSeq: Math.max(1, report.firstBadSeq ?? 1),
          reason: `${String(report.reason)}: ${String(report.message)}`,
        });
      });
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, 'audit.verification.failed not announced');
    }
  }
}
