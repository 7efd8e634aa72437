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

  @OnEvent('deployment.started')
  onDeploymentStarted(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.batch.started')
  onDeploymentBatchStarted(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.server.progressed')
  onDeploymentServerProgressed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.batch.completed')
  onDeploymentBatchCompleted(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.succeeded')
  onDeploymentSucceeded(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.failed')
  onDeploymentFailed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.rolled_back')
  onDeploymentRolledBack(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.rejected')
  onDeploymentRejected(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.aborted')
  onDeploymentAborted(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.paused')
  onDeploymentPaused(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  @OnEvent('deployment.resumed')
  onDeploymentResumed(@Ctx() ctx: EventContext): void {
    this.log(ctx);
  }

  private log(ctx: EventContext): void {
    const { type, id, subject, actor } = ctx.envelope;
    this.logger.info({ type, eventId: id, subject, actor }, 'event received');
  }
}
