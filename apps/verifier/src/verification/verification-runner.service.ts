import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { verificationRequestedEvent, type VerificationRequested } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { runWithCorrelation, type Logger } from '@conveyor/observability';
import { deadlineAfter } from '../checks/deadline';
import { overallVerdict, type StopReason } from '../checks/overall-verdict';
import { suiteIdentity, type SuiteIdentity } from '../checks/suite-identity';
import { LeasedJobLoop, SERVICE_LOGGER } from '@conveyor/service-kit';
import type { VerificationEntity } from '../persistence/verification.entity';
import { VerificationRepository } from '../persistence/verification.repository';
import { VERIFIER_SETTINGS, type VerifierSettings } from '../config/verifier-env';
import { VerifierMetrics } from '../metrics/verifier-metrics';
import { executeVerification, type Execution } from './verification-executor';
import { watchDeploymentAbort } from './abort-watch';

/**
 * Runs recorded verifications outside the inbox transaction: `verification.started`, the
 * checks, then the outcome and `verification.passed`/`failed` in one transaction. A
 * verification left by a stopped or crashed instance is resumed (checks run again) while
 * its deadline allows and it has not been interrupted too often; otherwise it fails, saying why.
 */
@Injectable()
export class VerificationRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: LeasedJobLoop<VerificationEntity>;
  private readonly owner = `verifier-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  /** Who smoke suites run as; resolved (and refused, stopping the start) once. */
  private readonly suiteRunAs: SuiteIdentity | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: TransactionalBus,
    private readonly repository: VerificationRepository,
    @Inject(VERIFIER_SETTINGS) private readonly settings: VerifierSettings,
    private readonly metrics: VerifierMetrics,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.suiteRunAs = suiteIdentity(
      settings.suiteRunAs,
      () => readFileSync('/etc/passwd', 'utf8'),
      process.getuid?.(),
    );
    if (this.suiteRunAs !== undefined)
      logger.info(
        { uid: this.suiteRunAs.uid, gid: this.suiteRunAs.gid },
        'smoke suites run as their own user',
      );
    const { leaseMs } = settings;
    this.loop = new LeasedJobLoop({
      serviceName: 'the verifier',
      kind: 'verification',
      pollMs: settings.pollMs,
      maxActive: settings.maxActive,
      leaseMs,
      logger,
      claim: (limit) =>
        this.dataSource.transaction((m) => this.repository.claim(m, this.owner, limit, leaseMs)),
      idOf: (row) => row.verificationId,
      renew: (id) => this.repository.renew(this.dataSource.manager, id, this.owner, leaseMs),
      release: (id) => this.repository.release(this.dataSource.manager, id, this.owner),
      run: (row, stop) =>
        runWithCorrelation(
          { correlationId: row.correlationId, causationId: row.causationId, actor: 'service:verifier' },
          () => this.run(row, stop),
        ),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** A request was recorded: look for it soon rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  private async run(row: VerificationEntity, stop: AbortSignal): Promise<void> {
    const request = verificationRequestedEvent.schema.parse(row.request);
    const abortReason = await this.repository.abortReason(this.dataSource.manager, request.deploymentId);
    if (abortReason !== undefined) {
      await this.finish(
        row,
        request,
        { results: [], stopped: { kind: 'cancelled', why: abortedText(request, abortReason) } },
        new Date(),
      );
      return;
    }
    const began = await this.begin(row, request);
    if (!began.ok) {
      await this.finish(row, request, { results: [] }, row.startedAt ?? new Date(), began.reason);
      return;
    }
    const watch = watchDeploymentAbort({
      deploymentId: request.deploymentId,
      intervalMs: Math.min(1_000, this.settings.pollMs),
      lookup: (id) => this.repository.abortReason(this.dataSource.manager, id),
      describe: (reason) => abortedText(request, reason),
      stop,
    });
    let execution: Execution;
    try {
      execution = await executeVerification({
        request,
        deadlineMs: began.deadlineAt.getTime(),
        cancel: watch.signal,
        workRoot: this.settings.workDir ?? tmpdir(),
        ...(this.suiteRunAs === undefined ? {} : { suiteRunAs: this.suiteRunAs }),
        maxResultFileBytes: this.settings.resultFileMaxBytes,
        onCheck: (result) => this.metrics.checkRun(result.type, result.verdict),
      });
    } finally {
      watch.close();
    }
    if (stop.aborted) {
      this.logger.warn(
        { verificationId: request.verificationId, why: String(stop.reason) },
        'verification interrupted; it will be resumed',
      );
      return;
    }
    await this.finish(row, request, execution, began.startedAt);
  }

  /** First run: `verification.started`. A resume: check it may go on. */
  private async begin(
    row: VerificationEntity,
    request: VerificationRequested,
  ): Promise<{ ok: true; startedAt: Date; deadlineAt: Date } | { ok: false; reason: string }> {
    if (row.status === 'running' && row.startedAt && row.deadlineAt) {
      if (row.attempts > this.settings.maxAttempts) {
        return {
          ok: false,
          reason: `interrupted ${row.attempts - 1} time(s) by verifier restarts; not resumed again`,
        };
      }
      if (row.deadlineAt.getTime() <= Date.now()) {
        return {
          ok: false,
          reason: `the verifier stopped while checking and the deadline of ${request.spec.timeoutSeconds} s has passed`,
        };
      }
      this.logger.info(
        { verificationId: request.verificationId, attempt: row.attempts },
        'resuming verification after an interruption',
      );
      return { ok: true, startedAt: row.startedAt, deadlineAt: row.deadlineAt };
    }
    const startedAt = new Date();
    const deadlineAt = new Date(deadlineAfter(startedAt.getTime(), request.spec.timeoutSeconds));
    const held = await this.bus.transaction(async (unit) => {
      if (!(await this.repository.lockIfHeld(unit.manager, request.verificationId, this.owner))) return false;
      await this.repository.markStarted(unit.manager, request.verificationId, startedAt, deadlineAt);
      const { verificationId, deploymentId, batchIndex } = request;
      unit.emit(
        'verification.started',
        { verificationId, deploymentId, batchIndex },
        { subject: deploymentId },
      );
      return true;
    });
    if (!held) return { ok: false, reason: 'lost the claim before starting' };
    return { ok: true, startedAt, deadlineAt };
  }

  private async finish(
    row: VerificationEntity,
    request: VerificationRequested,
    execution: Execution,
    startedAt: Date,
    interruption?: string,
  ): Promise<void> {
    const stopped: StopReason | undefined = interruption
      ? { kind: 'cancelled', why: interruption }
      : execution.stopped;
    const verdict = overallVerdict(execution.results, {
      allowInconclusive: request.spec.allowInconclusive,
      stopped,
    });
    const durationMs = Math.max(0, Date.now() - startedAt.getTime());
    const outcome = {
      verificationId: request.verificationId,
      deploymentId: request.deploymentId,
      batchIndex: request.batchIndex,
      results: execution.results,
      durationMs,
      summary: verdict.summary,
      inconclusiveAccepted: verdict.inconclusiveAccepted,
    };
    const finished = await this.bus.transaction(async (unit) => {
      if (!(await this.repository.lockIfHeld(unit.manager, row.verificationId, this.owner))) return false;
      await this.repository.finish(
        unit.manager,
        row.verificationId,
        verdict.passed ? 'passed' : 'failed',
        verdict.passed ? null : verdict.reason,
        outcome,
      );
      const options = { subject: request.deploymentId };
      if (verdict.passed) unit.emit('verification.passed', outcome, options);
      else unit.emit('verification.failed', { ...outcome, reason: verdict.reason }, options);
      return true;
    });
    if (!finished) {
      this.logger.warn(
        { verificationId: row.verificationId },
        'verification finished elsewhere; outcome dropped',
      );
      return;
    }
    this.metrics.verificationEnded(verdict.passed, durationMs);
    this.logger.info(
      {
        verificationId: request.verificationId,
        deploymentId: request.deploymentId,
        passed: verdict.passed,
        summary: verdict.summary,
      },
      'verification finished',
    );
  }
}

function abortedText(request: VerificationRequested, reason: string): string {
  return `deployment ${request.deploymentId} was aborted: ${reason}`;
}
