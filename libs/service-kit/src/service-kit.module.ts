import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD, ModuleRef, Reflector } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { DataSource, type MigrationInterface } from 'typeorm';
import { ConfirmedPublisher, OutboxRelay, TransactionalBus } from '@conveyor/messaging';
import { MetricsController, type Logger } from '@conveyor/observability';
import { openServiceDatabase, serviceDataSourceOptions } from '@conveyor/persistence';
import { ApiAuthGuard } from './api-auth/api-auth.guard';
import { IdentityEventsConsumer } from './api-auth/identity-events.consumer';
import { IdentityTokensRepository } from './api-auth/identity-tokens.repository';
import { HealthController } from './health.controller';
import { serviceMigrations } from './migrate-service';
import {
  AMQP_CONNECTION,
  MessagingLifecycle,
  SERVICE_IDENTITY,
  SERVICE_LOGGER,
  type ServiceIdentity,
} from './messaging.providers';

export interface ServiceKitOptions {
  identity: ServiceIdentity;
  databaseUrl: string;
  databasePoolSize?: number;
  connection: AmqpConnectionManager;
  logger: Logger;
  entities?: (new () => unknown)[];
  /** The service's own migrations; the outbox and inbox tables are added first. */
  migrations?: (new () => MigrationInterface)[];
  /** People's API tokens on every HTTP route; absent: the service authenticates callers itself (the pipeline). */
  apiAuth?: ApiAuthOptions;
}

export interface ApiAuthOptions {
  /**
   * true (default): the kit keeps the read model from the pipeline's identity events. false: the
   * service handles those events itself (the audit log receives everything with `#`) and calls
   * `applyIdentityEvent`.
   */
  consumeIdentityEvents?: boolean;
}

/**
 * What every Conveyor service has: its database (schema, migrations), the RabbitMQ publisher,
 * outbox relay and transactional bus, JSON logs, `/health` and `/metrics`.
 */
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const { identity, logger, apiAuth } = options;
    const database = {
      url: options.databaseUrl,
      schema: identity.schema,
      poolSize: options.databasePoolSize,
      entities: options.entities ?? [],
      migrations: serviceMigrations({ schema: identity.schema, apiAuth, migrations: options.migrations }),
    };
    const publicControllers: ReadonlySet<Type> = new Set<Type>([HealthController, MetricsController]);
    const authProviders: Provider[] = apiAuth
      ? [
          { provide: IdentityTokensRepository, useValue: new IdentityTokensRepository(identity.schema) },
          {
            provide: APP_GUARD,
            inject: [Reflector, DataSource, IdentityTokensRepository, ModuleRef],
            useFactory: (
              reflector: Reflector,
              dataSource: DataSource,
              tokens: IdentityTokensRepository,
              moduleRef: ModuleRef,
            ) => new ApiAuthGuard(reflector, dataSource, tokens, moduleRef, publicControllers),
          },
        ]
      : [];
    const authControllers =
      apiAuth && apiAuth.consumeIdentityEvents !== false ? [IdentityEventsConsumer] : [];
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            autoLogging: { ignore: (req) => req.url === '/metrics' || req.url === '/health' },
          },
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => serviceDataSourceOptions(database),
          dataSourceFactory: () => openServiceDatabase(database),
        }),
        TerminusModule,
      ],
      controllers: [HealthController, MetricsController, ...authControllers],
      providers: [
        { provide: SERVICE_IDENTITY, useValue: identity },
        { provide: SERVICE_LOGGER, useValue: logger },
        { provide: AMQP_CONNECTION, useValue: options.connection },
        {
          provide: ConfirmedPublisher,
          useFactory: () =>
            new ConfirmedPublisher(options.connection, {
              sharedTopology: 'check',
              onError: (error) => logger.warn({ err: error.message }, 'publisher channel error'),
            }),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, ConfirmedPublisher],
          useFactory: (dataSource: DataSource, publisher: ConfirmedPublisher) =>
            new OutboxRelay(dataSource, identity.name, identity.schema, publisher, logger),
        },
        {
          provide: TransactionalBus,
          inject: [DataSource, OutboxRelay],
          useFactory: (dataSource: DataSource, relay: OutboxRelay) =>
            new TransactionalBus(dataSource, identity.name, identity.schema, relay),
        },
        MessagingLifecycle,
        ...authProviders,
      ],
      exports: [
        SERVICE_IDENTITY,
        SERVICE_LOGGER,
        AMQP_CONNECTION,
        ConfirmedPublisher,
        OutboxRelay,
        TransactionalBus,
        ...(apiAuth ? [IdentityTokensRepository] : []),
      ],
    };
  }
}
