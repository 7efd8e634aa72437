import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { BakeRepository } from '../persistence/bake.repository';
import { VerificationRepository } from '../persistence/verification.repository';
import { VerifierMetrics } from '../metrics/verifier-metrics';
import { BakeRunner } from '../bake/bake-runner.service';
import { requestProblems } from './request-problems';
import { VerificationRunner } from './verification-runner.service';

/**
 * The verifier's events. Each handler only records (in the inbox transaction) and returns:
 * checks take seconds to minutes and run in the runners, outside any transaction.
 */
@Controller()
export class VerificationRequestsConsumer {
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
  @OnEvent('verification.requested')
  async onVerificationRequested(
    @Payload() request: EventMap['verification.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { manager } = ctx.unit;
    const abortReason = await this.verifications.abortReason(manager, request.deploymentId);
    const problems = requestProblems(request);
    if (abortReason !== undefined)
      problems.unshift(`deployment ${request.deploymentId} was already aborted: ${abortReason}`);
    const base = { request, correlationId: ctx.envelope.correlationid, causationId: ctx.envelope.id };
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
    ctx.emit('verification.failed', { ...outcome, reason }, { subject: request.deploymentId });
    this.metrics.verificationEnded(false);
    this.logger.warn({ verificationId: request.verificationId, reason }, 'verification refused');
  }

  /**
   * Records the abort: verifications and bakes not yet taken up fail (are cancelled) here;
   * running ones see the record within a second, stop their checks and kill their suites.
   */
  @OnEvent('deployment.aborted')
  async onDeploymentAborted(
    @Payload() aborted: EventMap['deployment.aborted'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { manager } = ctx.unit;
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
      ctx.emit('verification.failed', { ...outcome, reason }, { subject: deploymentId });
      this.metrics.verificationEnded(false);
    }
    for (const bake of await this.bakes.unheldUnfinished(manager, deploymentId)) {
      await this.bakes.finish(manager, bake.bakeId, 'cancelled', bake.probes, reason);
      ctx.emit(
        'verification.bake.completed',
        { bakeId: bake.bakeId, deploymentId, outcome: 'cancelled', probes: bake.probes, detail: reason },
        { subject: deploymentId },
      );
    }
  }

  /** Records a bake window once per bakeId; the bake runner watches it. */
  @OnEvent('verification.bake.requested')
  async onBakeRequested(
    @Payload() request: EventMap['verification.bake.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { manager } = ctx.unit;
    const abortReason = await this.verifications.abortReason(manager, request.deploymentId);
    if (abortReason !== undefined) {
      const detail = `not watched: deployment ${request.deploymentId} was already aborted: ${abortReason}`;
      ctx.emit(
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
    if (await this.bakes.insertIfNew(manager, request, ctx.envelope.correlationid, ctx.envelope.id))
      this.bakeRunner.wake();
  }
}
