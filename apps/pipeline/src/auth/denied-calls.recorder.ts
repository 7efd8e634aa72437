import { errorMessage } from '@conveyor/errors';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { TransactionalBus } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { DeniedCallTally, type DeniedCall, type DeniedCallRecord } from './denied-calls';

/** Identical refusals within a minute of a written one are counted into one record. */
const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;
const FLUSH_EVERY_MS = 5_000;

/**
 * Writes every refused API call (401, 403) to the audit log as `api.access.denied`, through the
 * outbox: the first of a kind at once, its repeats counted (DeniedCallTally), so a flood of bad
 * tokens costs the audit chain a record a minute per caller and path, not one per request.
 */
@Injectable()
export class DeniedCallsRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly tally = new DeniedCallTally({ windowMs: WINDOW_MS, maxKeys: MAX_KEYS });
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly bus: TransactionalBus,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.write(this.tally.flush(Date.now())), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.write(this.tally.flush(Date.now(), true));
  }

  /** Records one refusal; resolves once it is in the outbox (or counted for a later record). */
  async denied(call: DeniedCall): Promise<void> {
    const record = this.tally.denied(call, Date.now());
    if (record !== undefined) await this.write([record]);
  }

  private async write(records: DeniedCallRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.bus.transaction(async (unit) => {
        for (const record of records)
          unit.emit('api.access.denied', record, { actor: record.caller ?? 'anonymous', subject: null });
      });
    } catch (error) {
      // The caller still gets its 401/403; the refusal is in the service log at least.
      this.logger.error(
        { err: errorMessage(error), refused: records },
        'refused API calls could not be written to the audit log',
      );
    }
  }
}
