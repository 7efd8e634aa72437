import { Controller } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import { EventContext, OnEvent, PermanentHandlerError } from '@conveyor/messaging';
import { ChainAppender } from '../chain/chain-appender.service';
import { envelopeToEntry } from '../chain/envelope-entry.mapper';

/**
 * Every event on the bus (`#`, the audit service's own queue) becomes one entry of the chain.
 * The handler resolves once the entry's batch has committed, so the message is acknowledged only
 * then. An event that cannot be chained is dead-lettered at once with the reason.
 */
@Controller()
export class AuditIngestConsumer {
  constructor(private readonly appender: ChainAppender) {}

  @OnEvent('#')
  async record(@Ctx() ctx: EventContext): Promise<void> {
    const mapped = envelopeToEntry(ctx.envelope);
    if (!mapped.ok)
      throw new PermanentHandlerError(`cannot be recorded in the audit chain: ${mapped.reason}`);
    await this.appender.append(mapped.entry);
  }
}
