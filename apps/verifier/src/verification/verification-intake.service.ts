import { Inject, Injectable } from '@nestjs/common';
import type { EventMap } from '@conveyor/contracts';
import type { UnitOfWork } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { BakeRunner } from '../bake/bake-runner.service';
import { VerifierMetrics } from '../metrics/verifier-metrics';
import { BakeRepository } from '../persistence/bake.repository';
import { VerificationRepository } from '../persistence/verification.repository';
import { requestProblems } from './request-problems';
import { VerificationRunner } from './verification-runner.service';

/**
 * What the verifier does with each event it receives, inside the event's inbox transaction: it
 * only records (and fails what cannot run) and returns. Checks take seconds to minutes and run in
 * the runners, outside any transaction.
 */
@Injectable()
export class VerificationIntake {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly bakes: BakeRepository,
    private readonly verificationRunner: VerificationRunner,
    private readonly bakeRunner: BakeRunner,
    private readonly metrics: VerifierMetrics,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Recorded once per verificationId. A request that cannot run (duplicate servers, a bad
   * result-file path, an already aborted deployment) is failed here, with the reason.
   */
  async requested(
    request: EventMap['verification.requested'],
    unit: UnitOfWork,
    envelope: { id: string; correlationid: string },
  ): Promise<void> {
    const { manager } = unit;
    const abortReason = await this.verifications.abortReason(manager, request.deploymentId);
    const problems = requestProblems(request);
    if (abortReason !== undefined)
      problems.unshift(`deployment ${request.deploymentId} was already aborted: ${abortReason}`);
    const base = { request, correlationId: envelope.correlationid, causationId: envelope.id };
    if (problems.length === 0) {
      if (await this.verifications.insertIfNew(manager, { ...base, status: 'pending' }))
        this.verificationRunner.wake();
      else
        this.logger.info(
          { verificationId: request.verificationId },
          'verification already recorded; duplicate request ignored',
        );
      return;
    }
    const reason = `the request cannot be run: ${problems.join('; ')}`;
    const outcome = {
      verificationId: request.verificationId,
      deploymentId: request.deploymentId,
      batchIndex: request.batchIndex,
      results: [],
      durationMs: 0,
      summary: reason,
      inconclusiveAccepted: 0,
    };
    if (!(await this.verifications.insertIfNew(manager, { ...base, status: 'failed', reason, outcome })))
      return;
    unit.emit('verification.failed', { ...outcome, reason }, { subject: request.deploymentId });
    this.metrics.verificationEnded(false);
    this.logger.warn({ verificationId: request.verificationId, reason }, 'verification refused');
  }

  /**
   * Records the abort: verifications and bakes not yet taken up fail (are cancelled) here;
   * running ones see the record within a second, stop their checks and kill their suites.
   */
  async deploymentAborted(aborted: EventMap['deployment.aborted'], unit: UnitOfWork): Promise<void> {
    const { manager } = unit;
    const { deploymentId } = aborted;
    await this.verifications.recordAbort(manager, deploymentId, aborted.reason);
    const reason = `cancelled: deployment ${deploymentId} was aborted: ${aborted.reason}`;
    for (const row of await this.verifications.unheldUnfinished(manager, deploymentId)) {
      const outcome = {
        verificationId: row.verificationId,
        deploymentId,
        batchIndex: row.batchIndex,
        results: [],
        durationMs: row.startedAt ? Math.max(0, Date.now() - row.startedAt.getTime()) : 0,
        summary: reason,
        inconclusiveAccepted: 0,
      };
      await this.verifications.finish(manager, row.verificationId, 'failed', reason, outcome);
      unit.emit('verification.failed', { ...outcome, reason }, { subject: deploymentId });
      this.metrics.verificationEnded(false);
    }
    for (const bake of await this.bakes.unheldUnfinished(manager, deploymentId)) {
      await this.bakes.finish(manager, bake.bakeId, 'cancelled', bake.probes, reason);
      unit.emit(
        'verification.bake.completed',
        { bakeId: bake.bakeId, deploymentId, outcome: 'cancelled', probes: bake.probes, detail: reason },
        { subject: deploymentId },
      );
    }
  }

  /** Records a bake window once per bakeId; the bake runner watches it. */
  async bakeRequested(
    request: EventMap['verification.bake.requested'],
    unit: UnitOfWork,
    envelope: { id: string; correlationid: string },
  ): Promise<void> {
    const { manager } = unit;
    const abortReason = await this.verifications.abortReason(manager, request.deploymentId);
    if (abortReason !== undefined) {
      const detail = `not watched: deployment ${request.deploymentId} was already aborted: ${abortReason}`;
      unit.emit(
        'verification.bake.completed',
        {
          bakeId: request.bakeId,
          deploymentId: request.deploymentId,
          outcome: 'cancelled',
          probes: 0,
          detail,
        },
        { subject: request.deploymentId },
      );
      return;
    }
    if (await this.bakes.insertIfNew(manager, request, envelope.correlationid, envelope.id))
      this.bakeRunner.wake();
  }
}
