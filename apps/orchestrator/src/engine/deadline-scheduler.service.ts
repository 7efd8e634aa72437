import { errorMessage } from '@conveyor/errors';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isDatabaseConnectionError, TransactionalBus } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { ORCHESTRATOR_SETTINGS, type OrchestratorSettings } from '../config/orchestrator-env';
import { DeploymentRepository } from '../persistence/deployment.repository';
import { DeploymentEngine } from './deployment-engine.service';

const MAX_FIRED_PER_POLL = 100;

/**
 * Drives deployments between answers: renews this instance's leases, takes over deployments
 * whose owner died (lease expired), and fires due deadlines — each in its own transaction, the
 * row locked FOR UPDATE SKIP LOCKED so instances never fire the same deadline twice.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly bus: TransactionalBus,
    private readonly dataSource: DataSource,
    private readonly deployments: DeploymentRepository,
    private readonly engine: DeploymentEngine,
    @Inject(ORCHESTRATOR_SETTINGS) private readonly settings: OrchestratorSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    try {
      await this.deployments.releaseLeases(this.dataSource.manager, this.settings.instanceId);
    } catch (error) {
      this.logger.warn({ err: describe(error) }, 'could not release leases; they expire on their own');
    }
  }

  /** One round: leases, then due deadlines. Exposed for tests. */
  async poll(): Promise<number> {
    const { instanceId, leaseMs } = this.settings;
    const manager = this.dataSource.manager;
    await this.deployments.renewLeases(manager, instanceId, leaseMs);
    const claimed = await this.deployments.claimOrphans(manager, instanceId, leaseMs, 50);
    if (claimed.length > 0)
      this.logger.info({ deployments: claimed, instanceId }, 'took over deployments whose lease expired');
    let fired = 0;
    while (
      !this.stopped &&
      fired < MAX_FIRED_PER_POLL &&
      (await this.bus.transaction((unit) => this.engine.fireDue(unit)))
    )
      fired += 1;
    return fired;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .then(() => this.engine.databaseAnswered())
        .catch((error: unknown) => {
          if (isDatabaseConnectionError(error)) this.engine.databaseLost();
          this.logger.error({ err: describe(error) }, 'deadline scheduler round failed; will retry');
        })
        .finally(() => this.schedule(this.settings.pollMs));
    }, delayMs);
  }
}

function describe(error: unknown): string {
  return errorMessage(error);
}
