import { Controller, Inject } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import { EventContext, OnEvent } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { AuditCheckpointsRepository } from './audit-checkpoints.repository';

/**
 * Keeps the audit log's signed checkpoints in the pipeline's own schema: evidence of how far the
 * chain had grown that no login of the audit schema can remove.
 */
@Controller()
export class AuditCheckpointsConsumer {
  constructor(
    private readonly checkpoints: AuditCheckpointsRepository,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent('audit.checkpoint.created')
  async onCheckpoint(@Ctx() ctx: EventContext<'audit.checkpoint.created'>): Promise<void> {
    const { data } = ctx.envelope;
    const outcome = await this.checkpoints.keep(ctx.unit.manager, data, ctx.envelope.id);
    if (outcome === 'conflicting')
      this.logger.error(
        { seq: data.seq, headHash: data.headHash },
        'audit checkpoint conflicts with the one kept for that seq: the audit chain may have been rewritten',
      );
  }
}
