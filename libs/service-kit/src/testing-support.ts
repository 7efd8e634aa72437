import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import amqplib from 'amqplib';
import type { ApiRole, EventInput, IdentityTokenIssued } from '@conveyor/contracts';
import { EVENTS_EXCHANGE, createEnvelope } from '@conveyor/messaging';
import { DataSource } from 'typeorm';
import { hashApiToken } from './api-auth/bearer-token';
import { IdentityTokensRepository } from './api-auth/identity-tokens.repository';
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
    AMQP_RETRY_DELAYS_MS: [200, 400],
    DATABASE_POOL_SIZE: 3,
    ...overrides,
  };
}

/** A token as the pipeline would issue it: the secret a test sends, and the event announcing its hash. */
export interface TestApiToken {
  readonly secret: string;
  readonly issued: IdentityTokenIssued;
}

/** A new random token for `name` with `role`, and its `identity.token.issued` payload (hash only). */
export function newTestApiToken(name: string, role: ApiRole): TestApiToken {
  const secret = `cvy_${randomBytes(32).toString('base64url')}`;
  return {
    secret,
    issued: {
      tokenId: randomUUID(),
      tokenHash: hashApiToken(secret),
      name,
      role,
      issuedAt: new Date().toISOString(),
      expiresAt: null,
      issuedBy: 'admin:bootstrap',
    },
  };
}

/**
 * Puts a token straight into a running service's read model, as its identity consumer would on
 * `identity.token.issued` (for tests that must not add events; the red-team tests go through the bus).
 */
export async function seedApiToken(app: INestApplication, token: TestApiToken): Promise<void> {
  await app.get(IdentityTokensRepository).upsert(app.get(DataSource).manager, token.issued);
}

/**
 * Publishes identity events as the pipeline does (its envelope, the events exchange, with
 * confirms), for tests that show a service learning tokens from the bus.
 */
export async function publishAsPipeline(
  amqpUrl: string,
  events: readonly (
    | { type: 'identity.token.issued'; data: IdentityTokenIssued }
    | { type: 'identity.token.revoked'; data: EventInput['identity.token.revoked'] }
  )[],
): Promise<void> {
  const connection = await amqplib.connect(amqpUrl);
  try {
    const channel = await connection.createConfirmChannel();
    for (const event of events) {
      // Two branches so each call checks its own payload against its own contract.
      const envelope =
        event.type === 'identity.token.issued'
          ? createEnvelope('pipeline', event.type, event.data, { actor: 'admin:bootstrap' })
          : createEnvelope('pipeline', event.type, event.data, { actor: 'admin:bootstrap' });
      channel.publish(EVENTS_EXCHANGE, envelope.type, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        messageId: envelope.id,
        contentType: 'application/json',
        // As the real pipeline: its broker user as user_id (consumers refuse events without it).
        userId: decodeURIComponent(new URL(amqpUrl).username),
      });
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

/** The revocation of a test token, as the pipeline announces it. */
export function revocationOf(token: TestApiToken): EventInput['identity.token.revoked'] {
  return {
    tokenId: token.issued.tokenId,
    name: token.issued.name,
    role: token.issued.role,
    revokedAt: new Date().toISOString(),
    revokedBy: 'admin:bootstrap',
  };
}
