import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { VerificationIntake } from './verification-intake.service';

/** The verifier's events: each handler calls one method of the intake, in the inbox transaction. */
@Controller()
export class VerificationRequestsConsumer {
  constructor(private readonly intake: VerificationIntake) {}

  @OnEvent('verification.requested')
  async verificationRequested(
    @Payload() request: EventMap['verification.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.intake.requested(request, ctx.unit, ctx.envelope);
  }

  @OnEvent('deployment.aborted')
  async deploymentAborted(
    @Payload() aborted: EventMap['deployment.aborted'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.intake.deploymentAborted(aborted, ctx.unit);
  }

  @OnEvent('verification.bake.requested')
  async bakeRequested(
    @Payload() request: EventMap['verification.bake.requested'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.intake.bakeRequested(request, ctx.unit, ctx.envelope);
  }
}
