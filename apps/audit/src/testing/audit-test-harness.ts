import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { generateSigningKeyPair, type SigningKeyPairPem } from '@conveyor/audit-chain';
import { brokerUserOf, type EventEnvelope, type EventType, type Participant } from '@conveyor/contracts';
import { EVENTS_EXCHANGE } from '@conveyor/messaging';
import { producerOf, type TestVhost } from '@conveyor/testing';
import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import { auditService } from '../audit-service.definition';
import type { AuditEnv } from '../config/audit-env';

export const TEST_TOKEN = 'test-auditor-token-0123456789';

export interface StartedAudit {
  service: RunningService;
  keys: SigningKeyPairPem;
  baseUrl: string;
  /** GET with the auditor token. */
  get(path: string, token?: string | null): Promise<Response>;
}

export async function startAudit(
  amqpUrl: string,
  databaseUrl: string,
  overrides: Partial<AuditEnv> = {},
): Promise<StartedAudit> {
  const keys = generateSigningKeyPair();
  const env: AuditEnv = {
    ...testServiceEnv(amqpUrl, databaseUrl),
    AMQP_PREFETCH: 2_000,
    AUDIT_API_TOKEN: TEST_TOKEN,
    AUDIT_SIGNING_KEY: keys.privateKeyPem,
    // Unused: the key is given, so nothing is generated into the data directory.
    AUDIT_DATA_DIR: join(tmpdir(), 'audit-data-unused'),
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
    get: (path, token = TEST_TOKEN) =>
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
