import { Controller, Inject } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import { EventContext, OnEvent } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';

/**
 * The events this service consumes. Until their handlers land, each is logged with its
 * correlation id, so a rollout can be followed through the logs.
 */
@Controller()
export class ReceivedEventsLogger {
  constructor(@Inject(SERVICE_LOGGER) private readonly logger: Logger) {}

  @OnEvent('deployment.requested')
  onDeploymentRequested(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('pool.server.drained')
  onPoolServerDrained(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('pool.server.enabled')
  onPoolServerEnabled(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('pool.operation.failed')
  onPoolOperationFailed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.deploy.succeeded')
  onAgentDeploySucceeded(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.deploy.failed')
  onAgentDeployFailed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.rollback.succeeded')
  onAgentRollbackSucceeded(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.rollback.failed')
  onAgentRollbackFailed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.migrate.succeeded')
  onAgentMigrateSucceeded(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.migrate.failed')
  onAgentMigrateFailed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.heartbeat')
  onAgentHeartbeat(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.registered')
  onAgentRegistered(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('agent.command.rejected')
  onAgentCommandRejected(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('verification.passed')
  onVerificationPassed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('verification.failed')
  onVerificationFailed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('health.degraded')
  onHealthDegraded(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.pause.requested')
  onDeploymentPauseRequested(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.resume.requested')
  onDeploymentResumeRequested(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.abort.requested')
  onDeploymentAbortRequested(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.retry.requested')
  onDeploymentRetryRequested(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.host.exclude.requested')
  onDeploymentHostExcludeRequested(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  private log(ctx: EventContext): void {
    const { type, id, subject, actor } = ctx.envelope;
    this.logger.info({ type, eventId: id, subject, actor }, 'event received');
  }
}
