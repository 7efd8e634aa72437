import { Injectable } from '@nestjs/common';
import { counter, gauge, histogram } from '@conveyor/observability';

/** The audit service's Prometheus metrics. */
@Injectable()
export class AuditMetrics {
  private readonly entries = counter({
    name: 'conveyor_audit_entries_total',
    help: 'Entries appended to the audit chain (redeliveries of an event already in the chain are not counted).',
  });
  private readonly appendDuration = histogram({
    name: 'conveyor_audit_append_seconds',
    help: 'Time to append one batch to the chain: head lock, hashing, insert and commit.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  private readonly headSeq = gauge({
    name: 'conveyor_audit_chain_head_seq',
    help: 'Seq of the last entry of the audit chain, as this instance last committed or read it.',
  });
  private readonly verifyFailures = counter({
    name: 'conveyor_audit_verify_failures_total',
    help: 'Verifications of the chain in the database that found a broken entry or checkpoint.',
  });
  private readonly checkpointPublishFailures = counter({
    name: 'conveyor_audit_checkpoint_publish_failures_total',
    help: 'Signed checkpoints that could not be written to AUDIT_CHECKPOINT_DIR (they are still in the database and announced as an event).',
  });

  /** Starts timing one batch append; call the result when it ends. */
  appendStarted(): () => void {
    const stop = this.appendDuration.startTimer();
    return () => {
      stop();
    };
  }

  appended(count: number, headSeq: number | undefined): void {
    this.entries.inc(count);
    if (headSeq !== undefined) this.headSeq.set(headSeq);
  }

  verifyFailed(): void {
    this.verifyFailures.inc();
  }

  checkpointPublishFailed(): void {
    this.checkpointPublishFailures.inc();
  }
}
