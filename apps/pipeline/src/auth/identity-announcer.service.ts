import { errorMessage } from '@conveyor/errors';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TransactionalBus } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { PIPELINE_SETTINGS, type PipelineSettings } from '../config/pipeline-env';
import { ApiTokensRepository } from './api-tokens.repository';
import { announcementParts } from './identity-events';

/**
 * Re-announces every API token at start and every PIPELINE_IDENTITY_ANNOUNCE_MS, so a service
 * that started later or lost a message converges on the pipeline's identities. Through the
 * outbox, like every event; several replicas announcing is harmless (services upsert).
 */
@Injectable()
export class IdentityAnnouncer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly bus: TransactionalBus,
    private readonly tokens: ApiTokensRepository,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.announceLogged();
    this.timer = setInterval(() => void this.announceLogged(), this.settings.identityAnnounceMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Emits the announcement parts in one transaction; returns how many tokens were announced. */
  async announce(): Promise<number> {
    return this.bus.transaction(async (unit) => {
      const all = await this.tokens.listAll(unit.manager);
      for (const part of announcementParts(all, new Date())) {
        unit.emit('identity.tokens.announced', part, { actor: 'service:pipeline' });
      }
      return all.length;
    });
  }

  private async announceLogged(): Promise<void> {
    try {
      await this.announce();
    } catch (error) {
      this.logger.warn(
        { err: errorMessage(error) },
        'API tokens not announced; next attempt at the next interval',
      );
    }
  }
}
