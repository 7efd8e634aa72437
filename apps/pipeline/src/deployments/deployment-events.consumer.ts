import { Controller } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { ReadModelService } from './read-model.service';
import type { DeploymentViewEvent } from './deployment-view.reducer';

/** The orchestrator's deployment events, folded into the read model in the inbox transaction. */
@Controller()
export class DeploymentEventsConsumer {
  constructor(private readonly readModel: ReadModelService) {}

  @OnEvent('deployment.started')
  onStarted(@Ctx() ctx: EventContext<'deployment.started'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.batch.started')
  onBatchStarted(@Ctx() ctx: EventContext<'deployment.batch.started'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.server.progressed')
  onServerProgressed(@Ctx() ctx: EventContext<'deployment.server.progressed'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.batch.completed')
  onBatchCompleted(@Ctx() ctx: EventContext<'deployment.batch.completed'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.succeeded')
  onSucceeded(@Ctx() ctx: EventContext<'deployment.succeeded'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.failed')
  onFailed(@Ctx() ctx: EventContext<'deployment.failed'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.rolled_back')
  onRolledBack(@Ctx() ctx: EventContext<'deployment.rolled_back'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.rejected')
  onRejected(@Ctx() ctx: EventContext<'deployment.rejected'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.aborted')
  onAborted(@Ctx() ctx: EventContext<'deployment.aborted'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.paused')
  onPaused(@Ctx() ctx: EventContext<'deployment.paused'>) {
    return this.fold(ctx);
  }

  @OnEvent('deployment.resumed')
  onResumed(@Ctx() ctx: EventContext<'deployment.resumed'>) {
    return this.fold(ctx);
  }

  private fold(ctx: EventContext<DeploymentViewEvent['type']>): Promise<void> {
    return this.readModel.apply(ctx.unit, ctx.envelope);
  }
}
