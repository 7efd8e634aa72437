import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { PoolDrainRequested, PoolEnableRequested } from '@conveyor/contracts';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { PoolRequestService } from './pool-request.service';

/** Drain and enable requests from the orchestrator (or an operator's tool). */
@Controller()
export class PoolRequestsConsumer {
  constructor(private readonly requests: PoolRequestService) {}

  @OnEvent('pool.drain.requested')
  onDrainRequested(@Payload() data: PoolDrainRequested, @Ctx() ctx: EventContext): Promise<void> {
    return this.requests.drainRequested(data, ctx);
  }

  @OnEvent('pool.enable.requested')
  onEnableRequested(@Payload() data: PoolEnableRequested, @Ctx() ctx: EventContext): Promise<void> {
    return this.requests.enableRequested(data, ctx);
  }
}
