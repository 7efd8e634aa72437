import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { generateSigningKeyPair, type SigningKeyPair } from '@conveyor/signing-keys';
import { brokerUserOf, type EventEnvelope, type EventType, type Participant } from '@conveyor/contracts';
import { EVENTS_EXCHANGE } from '@conveyor/messaging';
import type { ApiRole } from '@conveyor/contracts';
import {
  migrateService,
  newTestApiToken,
  seedApiToken,
  startService,
  testServiceEnv,
  type RunningService,
  type TestApiToken,
} from '@conveyor/service-kit';
import { auditOwnerLoginUrl, producerOf, serviceLoginUrl, type TestVhost } from '@conveyor/testing';
import { auditService } from '../audit.boot';
import type { AuditEnv } from '../config/audit-env';

/** The auditor the harness gives a token (the actor of their recorded accesses). */
export const TEST_AUDITOR = 'auditor@example.com';

export interface StartedAudit {
  service: RunningService;
  keys: SigningKeyPair;
  baseUrl: string;
  /** The secret of TEST_AUDITOR's auditor token (in the read model, not announced on the bus). */
  token: string;
  /** AUDIT_CHECKPOINT_DIR: where every signed checkpoint is published as a file. */
  checkpointDir: string;
  /** GET with the auditor's token (or the given one; null: no Authorization header). */
  get(path: string, token?: string | null): Promise<Response>;
  /** A token put straight into the service's read model (no event, so no chain entry). */
  seedToken(name: string, role: ApiRole): Promise<TestApiToken>;
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
    AUDIT_SIGNING_KEY: keys.privateKeyPem,
    AUDIT_GENERATE_KEY: false,
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
  const seedToken = async (name: string, role: ApiRole) => {
    const token = newTestApiToken(name, role);
    await seedApiToken(service.app, token);
    return token;
  };
  const auditor = await seedToken(TEST_AUDITOR, 'auditor');
  return {
    service,
    keys,
    baseUrl,
    token: auditor.secret,
    checkpointDir,
    seedToken,
    get: (path, token = auditor.secret) =>
      fetch(`${baseUrl}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } }),
  };
}

/**
 * Publishes envelopes straight to the events exchange over `publishers` connections at once (per
 * producer), with confirms: each as its producer's own broker user with its user_id, as the real
 * producer would.
 */
export async function publishConcurrently(
  vhost: TestVhost,
  envelopes: readonly EventEnvelope[],
  publishers: number,
): Promise<void> {
  const byProducer = new Map<Participant, EventEnvelope[]>();
  for (const envelope of envelopes) {
    const producer = producerOf(envelope.type as EventType, envelope.data);
    byProducer.set(producer, [...(byProducer.get(producer) ?? []), envelope]);
  }
  for (const [producer, ofProducer] of byProducer) {
    const url = producer.startsWith('agent:')
      ? await vhost.addAgent(producer.slice('agent:'.length))
      : vhost.urlFor(producer);
    const userId = brokerUserOf(producer);
    const shares = Array.from({ length: publishers }, (_, index) =>
      ofProducer.filter((_, at) => at % publishers === index),
    );
    await Promise.all(
      shares.map(async (share) => {
        const connection = await amqplib.connect(url, { noDelay: true });
        try {
          const channel = await connection.createConfirmChannel();
          for (const envelope of share) {
            const body = Buffer.from(JSON.stringify(envelope));
            if (
              !channel.publish(EVENTS_EXCHANGE, envelope.type, body, {
                persistent: true,
                messageId: envelope.id,
                userId,
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
}
