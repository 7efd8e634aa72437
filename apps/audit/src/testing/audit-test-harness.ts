import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { generateSigningKeyPair, type SigningKeyPairPem } from '@conveyor/audit-chain';
import type { EventEnvelope } from '@conveyor/contracts';
import { EVENTS_EXCHANGE } from '@conveyor/messaging';
import { migrateService, startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import { auditOwnerLoginUrl, serviceLoginUrl } from '@conveyor/testing';
import { auditService } from '../audit-service.definition';
import type { AuditEnv } from '../config/audit-env';

export const TEST_TOKEN = 'test-auditor-token-0123456789';

export interface StartedAudit {
  service: RunningService;
  keys: SigningKeyPairPem;
  baseUrl: string;
  /** AUDIT_CHECKPOINT_DIR: where every signed checkpoint is published as a file. */
  checkpointDir: string;
  /** GET with the auditor token. */
  get(path: string, token?: string | null): Promise<Response>;
}

/**
 * Migrates the audit schema as its owner (`<database>_audit_owner`, as the `migrate` job does in
 * production), then starts the service as its append-only runtime login (`<database>_audit`).
 * `databaseUrl` is a database made by `createTestDatabase`.
 */
export async function startAudit(
  amqpUrl: string,
  databaseUrl: string,
  overrides: Partial<AuditEnv> = {},
): Promise<StartedAudit> {
  const keys = generateSigningKeyPair();
  await migrateService(auditService, auditOwnerLoginUrl(databaseUrl));
  const checkpointDir = overrides.AUDIT_CHECKPOINT_DIR ?? mkdtempSync(join(tmpdir(), 'audit-checkpoints-'));
  const env: AuditEnv = {
    ...testServiceEnv(amqpUrl, serviceLoginUrl(databaseUrl, 'audit')),
    AMQP_PREFETCH: 2_000,
    AUDIT_API_TOKEN: TEST_TOKEN,
    AUDIT_SIGNING_KEY: keys.privateKeyPem,
    // Unused: the key is given, so nothing is generated into the data directory.
    AUDIT_DATA_DIR: join(tmpdir(), 'audit-data-unused'),
    AUDIT_CHECKPOINT_DIR: checkpointDir,
    AUDIT_CHECKPOINT_EVERY: 10_000_000,
    AUDIT_CHECKPOINT_INTERVAL_MS: 86_400_000,
    AUDIT_BATCH_MAX: 1_000,
    AUDIT_BATCH_WAIT_MS: 5,
    AUDIT_PAGE_SIZE: 500,
    ...overrides,
  };
  const service = await startService(auditService, env);
  const baseUrl = `http://127.0.0.1:${service.port}`;
  return {
    service,
    keys,
    baseUrl,
    checkpointDir,
    get: (path, token = TEST_TOKEN) =>
      fetch(`${baseUrl}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } }),
  };
}

/** Publishes envelopes straight to the events exchange over `publishers` connections at once, with confirms. */
export async function publishConcurrently(
  amqpUrl: string,
  envelopes: readonly EventEnvelope[],
  publishers: number,
): Promise<void> {
  const shares = Array.from({ length: publishers }, (_, index) =>
    envelopes.filter((_, at) => at % publishers === index),
  );
  await Promise.all(
    shares.map(async (share) => {
      const connection = await amqplib.connect(amqpUrl, { noDelay: true });
      try {
        const channel = await connection.createConfirmChannel();
        for (const envelope of share) {
          const body = Buffer.from(JSON.stringify(envelope));
          if (
            !channel.publish(EVENTS_EXCHANGE, envelope.type, body, {
              persistent: true,
              messageId: envelope.id,
            })
          ) {
            await new Promise((resolve) => channel.once('drain', resolve));
          }
        }
        await channel.waitForConfirms();
      } finally {
        await connection.close();
      }
    }),
  );
}
