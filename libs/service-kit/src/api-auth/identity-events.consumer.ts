import { Controller } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { IdentityTokensRepository } from './identity-tokens.repository';
import { applyIdentityEvent } from './identity-read-model';

/**
 * Keeps the service's read model of API tokens from the pipeline's identity events, in the
 * inbox transaction. A service that receives every event itself (the audit log, `#`) does not
 * mount this and calls `applyIdentityEvent` from its own handler instead.
 */
@Controller()
export class IdentityEventsConsumer {
  constructor(private readonly tokens: IdentityTokensRepository) {}

  @OnEvent('identity.token.issued')
  async issued(@Ctx() ctx: EventContext<'identity.token.issued'>): Promise<void> {
    await applyIdentityEvent(ctx.unit.manager, this.tokens, ctx.envelope);
  }

  @OnEvent('identity.token.revoked')
  async revoked(@Ctx() ctx: EventContext<'identity.token.revoked'>): Promise<void> {
    await applyIdentityEvent(ctx.unit.manager, this.tokens, ctx.envelope);
  }

  @OnEvent('identity.tokens.announced')
  async announced(@Ctx() ctx: EventContext<'identity.tokens.announced'>): Promise<void> {
    await applyIdentityEvent(ctx.unit.manager, this.tokens, ctx.envelope);
  }
}
