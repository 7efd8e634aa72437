import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import {
  EventContext,
  OnEvent,
  OnRefusedMessage,
  OnUnknownEventType,
  PermanentHandlerError,
  type ReceivedUnknownEvent,
  type RefusedMessage,
} from '@conveyor/messaging';
import { IdentityTokensRepository, applyIdentityEvent, isIdentityEvent } from '@conveyor/service-kit';
import { ChainAppender } from '../chain/chain-appender.service';
import { envelopeToEntry, unknownTypeEventToEntry } from '../chain/envelope-entry.mapper';
import { refusalToEntry } from '../chain/refusal-entry.mapper';

/**
 * Every event on the bus (`#`, the audit service's own queue) becomes one entry of the chain;
 * the pipeline's identity events also feed the read model of API tokens the auditor API checks.
 * The handler resolves once the entry's batch has committed, so the message is acknowledged only
 * then. An event that cannot be chained is dead-lettered at once with the reason. A message the
 * consumer refused (routing key not its type, or not published by its producer's broker user) is
 * recorded as a `bus.message.refused` entry — raw body, routing key, user_id, reason — never as
 * the event it claims to be, and then dead-lettered. Each entry keeps the message body exactly as
 * received beside the parsed view, and an event of a type this build does not know (a newer
 * producer's, during a rolling upgrade of Conveyor) is recorded too — when its routing key is its
 * type and a known producer's broker user published it — rather than dead-lettered.
 */
@Controller()
export class AuditIngestConsumer {
  constructor(
    private readonly appender: ChainAppender,
    private readonly identities: IdentityTokensRepository,
    private readonly dataSource: DataSource,
  ) {}

  @OnEvent('#')
  async record(@Ctx() ctx: EventContext): Promise<void> {
    const mapped = envelopeToEntry(ctx.envelope, ctx.delivery.rawBody);
    if (!mapped.ok)
      throw new PermanentHandlerError(`cannot be recorded in the audit chain: ${mapped.reason}`);
    await this.appender.append(mapped.entry);
    // The pipeline's API tokens: recorded first, then known to the auditor API. A failure here
    // redelivers the event, which the chain then skips (its id is already there).
    if (isIdentityEvent(ctx.envelope))
      await applyIdentityEvent(this.dataSource.manager, this.identities, ctx.envelope);
  }

  @OnUnknownEventType()
  async recordUnknownType(@Payload() received: ReceivedUnknownEvent): Promise<void> {
    const mapped = unknownTypeEventToEntry({
      envelope: received.envelope,
      userId: received.userId,
      receivedEnvelope: received.delivery.rawBody ?? JSON.stringify(received.envelope),
    });
    if (!mapped.ok)
      throw new PermanentHandlerError(`cannot be recorded in the audit chain: ${mapped.reason}`);
    await this.appender.append(mapped.entry);
  }

  @OnRefusedMessage()
  async recordRefusal(@Payload() refused: RefusedMessage): Promise<void> {
    const mapped = refusalToEntry(refused, new Date());
    if (!mapped.ok) throw new Error(`refusal cannot be recorded in the audit chain: ${mapped.reason}`);
    await this.appender.append(mapped.entry);
  }
}
