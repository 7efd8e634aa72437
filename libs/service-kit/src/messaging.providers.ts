import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { ConfirmedPublisher, OutboxRelay, TransactionalBus } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';

export const AMQP_CONNECTION = Symbol('AMQP_CONNECTION');
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

export interface ServiceIdentity {
  /** The service's name: its queue, its event `source`, its inbox consumer name. */
  name: string;
  /** Its Postgres schema. */
  schema: string;
}

/** Starts the outbox relay once the app is up and stops it, then the connection, at shutdown. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly publisher: ConfirmedPublisher,
    @Inject(AMQP_CONNECTION) private readonly connection: AmqpConnectionManager,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.close();
    await this.connection.close();
    this.logger.info(`${this.identity.name} stopped`);
  }
}

export { TransactionalBus };
