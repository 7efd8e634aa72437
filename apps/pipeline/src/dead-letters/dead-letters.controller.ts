import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { deadLetterReplayRequestedEvent } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { emitApiAction } from '../auth/api-action';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentAction, Requires, type ApiAction } from '../auth/caller.decorator';
import { PERMISSIONS } from '../auth/role-policy';
import { ApiAuthenticated, ApiExampleResponse, ApiZodBody } from '../http/openapi.decorators';
import { validBody } from '@conveyor/service-kit';

/** The body of a replay request is the contract's payload (400 naming the field otherwise). */
const replayBody = deadLetterReplayRequestedEvent.schema;
type ReplayBody = z.infer<typeof replayBody>;

const example = {
  service: 'orchestrator',
  queue: 'conveyor.orchestrator.dead-letter',
  messageId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  all: false,
};

/**
 * Operators replay dead letters through the pipeline, the one HTTP door for people
 * (docs/adr/0008-dead-letter-replay-through-the-pipeline.md): it emits
 * `deadletter.replay.requested` with the caller as actor (the audit log's record), and the
 * service that owns the queue moves the letters back through its retry queue.
 */
@ApiTags('dead-letters')
@ApiAuthenticated(PERMISSIONS.replayDeadLetters)
@UseGuards(AuthGuard)
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly bus: TransactionalBus) {}

  @Post('replays')
  @HttpCode(202)
  @Requires('replayDeadLetters')
  @ApiOperation({
    summary: 'Ask a service to replay one dead letter, or all of its queue (deadletter.replay.requested)',
  })
  @ApiZodBody(replayBody, example)
  @ApiExampleResponse(202, 'Forwarded to the service.', {
    requested: 'deadletter.replay.requested',
    ...example,
  })
  async replay(@Body(validBody(replayBody)) request: ReplayBody, @CurrentAction() action: ApiAction) {
    await this.bus.transaction(async (unit) => {
      unit.emit('deadletter.replay.requested', request, { actor: action.caller.name });
      emitApiAction(
        unit,
        action,
        202,
        `replay of ${request.all ? 'every dead letter' : `dead letter ${request.messageId}`} in ${request.queue} requested`,
      );
    });
    return { requested: 'deadletter.replay.requested', ...request };
  }
}
