import type { ServiceEnv } from './service-env';

/** The environment a service gets in an integration test: its own vhost and database. */
export function testServiceEnv(
  amqpUrl: string,
  databaseUrl: string,
  overrides: Partial<ServiceEnv> = {},
): ServiceEnv {
  return {
    AMQP_URL: amqpUrl,
    DATABASE_URL: databaseUrl,
    PORT: 0,
    LOG_LEVEL: 'silent',
    AMQP_CONNECT_TIMEOUT_MS: 5_000,
    AMQP_PREFETCH: 32,
    AMQP_MAX_ATTEMPTS: 3,
    DATABASE_POOL_SIZE: 3,
    ...overrides,
  };
}
