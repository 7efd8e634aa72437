import { errorMessage } from '@conveyor/errors';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { z } from 'zod';
import {
  ConfirmedPublisher,
  RabbitTransport,
  RethrowRpcErrorsFilter,
  TransactionalBus,
  connectAmqp,
  deadLetterQueueName,
  ensureSharedTopology,
  waitForConnection,
} from '@conveyor/messaging';
import { collectDefaultProcessMetrics, createLogger } from '@conveyor/observability';
import { DataSource, type MigrationInterface } from 'typeorm';
import { migrateServiceDatabase } from '@conveyor/persistence';
import {
  ConfigError,
  loadEnv,
  migrationEnv,
  serviceEnv,
  type MigrationEnv,
  type ServiceEnv,
} from './service-env';
import { ServiceKitModule, serviceMigrations, type ApiAuthOptions } from './service-kit.module';

export interface ServiceSpec<E extends ServiceEnv = ServiceEnv> {
  name: string;
  schema: string;
  defaultPort: number;
  /** The service's own variables on top of the common ones. */
  envSchema?: z.ZodType<E>;
  entities?: (new () => unknown)[];
  migrations?: (new () => MigrationInterface)[];
  /**
   * false: handlers are not wrapped in the per-event inbox transaction (`ctx.unit` is unavailable);
   * the service makes redeliveries harmless itself (the audit log batches many events per
   * transaction and relies on its event id constraint). Default true.
   */
  inbox?: boolean;
  /**
   * Every HTTP route but /health and /metrics needs a pipeline-issued API token whose role the
   * route allows (`@ApiRoles`); see libs/service-kit's README. Absent: the service authenticates itself.
   */
  apiAuth?: ApiAuthOptions;
  /**
   * false: the service never changes its schema at start; its migrations run with
   * `main.ts migrate` and DATABASE_MIGRATION_URL (the schema owner's login), and DATABASE_URL is a
   * login with only the privileges the service needs (the audit log). Default true: the service's
   * login owns its schema and migrates it at start.
   */
  migrateAtStart?: boolean;
  /** The app module, given the kit module to import and the validated environment. */
  module: (kit: DynamicModule, env: E) => DynamicModule;
  /** Optional: adjusts the created application before it listens (e.g. serves an OpenAPI document). */
  configure?: (app: INestApplication, env: E) => void | Promise<void>;
}

export interface RunningService {
  app: INestApplication;
  port: number;
  close(): Promise<void>;
}

/** Boots a hybrid NestJS app (HTTP + RabbitMQ transport) from an already validated environment. */
export async function startService<E extends ServiceEnv>(
  spec: ServiceSpec<E>,
  env: E,
): Promise<RunningService> {
  collectDefaultProcessMetrics();
  const logger = createLogger(spec.name, { level: env.LOG_LEVEL });
  const connection = connectAmqp(env.AMQP_URL, { connectionName: `conveyor-${spec.name}` });
  try {
    await waitForConnection(connection, env.AMQP_CONNECT_TIMEOUT_MS);
    // Least privilege: a service's broker user may configure its own queues only. The shared
    // exchanges are provisioned (deploy/rabbitmq/definitions.json) and merely checked; its own
    // dead-letter queue is declared if missing.
    await ensureSharedTopology(connection, { deadLetterQueues: [deadLetterQueueName(spec.name)] });
  } catch (error) {
    await connection.close();
    throw new Error(`AMQP_URL (${redactUrl(env.AMQP_URL)}): ${errorMessage(error)}`);
  }
  const kit = ServiceKitModule.forRoot({
    identity: { name: spec.name, schema: spec.schema },
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    connection,
    logger,
    entities: spec.entities,
    migrations: spec.migrations,
    apiAuth: spec.apiAuth,
    migrateAtStart: spec.migrateAtStart,
  });
  let app: INestApplication;
  try {
    app = await NestFactory.create(spec.module(kit, env), { bufferLogs: true, abortOnError: false });
  } catch (error) {
    await connection.close();
    throw error;
  }
  app.useLogger(app.get(PinoNestLogger));
  const database = app.get(DataSource);
  await spec.configure?.(app, env);
  app.useGlobalFilters(new RethrowRpcErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  app.connectMicroservice(
    {
      strategy: new RabbitTransport({
        service: spec.name,
        connection,
        publisher: app.get(ConfirmedPublisher),
        logger,
        bus: spec.inbox === false ? undefined : app.get(TransactionalBus),
        prefetch: env.AMQP_PREFETCH,
        maxAttempts: env.AMQP_MAX_ATTEMPTS,
        redelivery: 'broker',
        retryDelaysMs: env.AMQP_RETRY_DELAYS_MS,
        database: { probe: () => database.query('SELECT 1') },
        sharedTopology: 'check',
      }),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(env.PORT, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  logger.info({ port: address.port }, `${spec.name} started`);
  return { app, port: address.port, close: () => app.close() };
}

/** Runs the service's pending migrations with the schema owner's login; the names of all applied migrations. */
export async function migrateService(
  spec: Pick<ServiceSpec, 'schema' | 'entities' | 'migrations' | 'apiAuth'>,
  migrationUrl: string,
): Promise<string[]> {
  return migrateServiceDatabase({
    url: migrationUrl,
    schema: spec.schema,
    entities: spec.entities,
    migrations: serviceMigrations(spec.schema, spec.migrations, spec.apiAuth !== undefined),
  });
}

/**
 * The entry point of a service process: validates its environment, boots, exits non-zero on failure.
 * `main.ts migrate` instead runs the migrations with DATABASE_MIGRATION_URL and exits (a one-off job
 * or init container: the schema owner's credentials never reach the running service).
 */
export async function runService<E extends ServiceEnv>(spec: ServiceSpec<E>): Promise<void> {
  if (process.argv[2] === 'migrate') return runMigrations(spec);
  let env: E;
  try {
    env = loadEnv(spec.name, spec.envSchema ?? (serviceEnv(spec.defaultPort) as unknown as z.ZodType<E>));
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  let running: RunningService;
  try {
    running = await startService(spec, env);
  } catch (error) {
    process.stderr.write(`${spec.name} failed to start: ${errorMessage(error)}\n`);
    process.exit(1);
  }
  // Graceful stop: the consumer, the outbox relay and the connections close, then the process exits 0.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${spec.name}: ${signal} received, stopping\n`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${spec.name} did not stop cleanly: ${errorMessage(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function runMigrations(
  spec: Pick<ServiceSpec, 'name' | 'schema' | 'entities' | 'migrations'>,
): Promise<void> {
  let env: MigrationEnv;
  try {
    env = loadEnv(`${spec.name} migrate`, migrationEnv);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  try {
    const applied = await migrateService(spec, env.DATABASE_MIGRATION_URL);
    process.stdout.write(`${spec.name}: schema ${spec.schema} migrated (${applied.join(', ')})\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(
      `${spec.name} migrate failed (${redactUrl(env.DATABASE_MIGRATION_URL)}): ${errorMessage(error)}\n`,
    );
    process.exit(1);
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable>';
  }
}
