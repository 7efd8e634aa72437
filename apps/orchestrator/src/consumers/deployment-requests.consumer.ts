import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { DeploymentEngine } from '../engine/deployment-engine.service';

/** Deployment requests and the operators' controls; each handled in its inbox transaction. */
@Controller()
export class DeploymentRequestsConsumer {
  constructor(private readonly engine: DeploymentEngine) {}

  @OnEvent('deployment.requested')
  async requested(
    @Payload() data: EventMap['deployment.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.engine.request(data, ctx.unit, ctx.envelope.correlationid);
  }

  @OnEvent('deployment.pause.requested')
  async pause(
    @Payload() data: EventMap['deployment.pause.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.engine.apply(ctx.unit, data.deploymentId, { type: 'pause' });
  }

  @OnEvent('deployment.resume.requested')
  async resume(
    @Payload() data: EventMap['deployment.resume.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.engine.apply(ctx.unit, data.deploymentId, { type: 'resume' });
  }

  @OnEvent('deployment.abort.requested')
  async abort(
    @Payload() data: EventMap['deployment.abort.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.engine.apply(ctx.unit, data.deploymentId, { type: 'abort', reason: data.reason });
  }

  @OnEvent('deployment.retry.requested')
  async retry(
    @Payload() data: EventMap['deployment.retry.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.engine.apply(ctx.unit, data.deploymentId, { type: 'retry' });
  }

  @OnEvent('deployment.host.exclude.requested')
  async exclude(
    @Payload() data: EventMap['deployment.host.exclude.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.engine.apply(ctx.unit, data.deploymentId, {
      type: 'exclude',
      serverId: data.serverId,
      reason: data.reason,
    });
  }
}
