import { z } from 'zod';
import { baseServiceEnv } from '@conveyor/service-kit';

const positiveInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The audit service's variables: the common ones plus its own. */
const auditEnvFields = baseServiceEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  /** Large enough for batching: events wait in the appender, not in the queue. */
  AMQP_PREFETCH: positiveInt(1, 10_000, 2_000),
  /**
   * Ed25519 private key: a PKCS#8 PEM, or the path of a file holding one. Required: every replica
   * must sign with the same key. Only with AUDIT_GENERATE_KEY=true (development) may it be absent.
   */
  AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  /** Development only: without AUDIT_SIGNING_KEY, generate a key once into AUDIT_DATA_DIR. */
  AUDIT_GENERATE_KEY: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  AUDIT_DATA_DIR: z.string().min(1).default('./data/audit'),
  /**
   * Append-only directory every signed checkpoint is also published to (one file each, never
   * overwritten), outside the database; the service refuses to start if it cannot create files there.
   */
  AUDIT_CHECKPOINT_DIR: z
    .string({ error: 'is required: the append-only directory signed checkpoints are published to' })
    .min(1, 'is required: the append-only directory signed checkpoints are published to'),
  /** Sign a checkpoint every N entries … */
  AUDIT_CHECKPOINT_EVERY: positiveInt(1, 10_000_000, 10_000),
  /** … or every T milliseconds when entries arrived since the last one. */
  AUDIT_CHECKPOINT_INTERVAL_MS: positiveInt(100, 86_400_000, 60_000),
  /** Most entries appended in one transaction. */
  AUDIT_BATCH_MAX: positiveInt(1, 10_000, 1_000),
  /** How long the first event of a batch waits for others before the batch is appended. */
  AUDIT_BATCH_WAIT_MS: positiveInt(0, 1_000, 5),
  /** Entries read per query while exporting or verifying. */
  AUDIT_PAGE_SIZE: positiveInt(100, 100_000, 5_000),
});
/**
 * The audit service's environment, validated at start: AUDIT_SIGNING_KEY is required unless
 * AUDIT_GENERATE_KEY=true (development), so N replicas never sign with N different keys.
 */
export const auditEnvSchema = auditEnvFields.superRefine((env, ctx) => {
  if (env.AUDIT_SIGNING_KEY === undefined && !env.AUDIT_GENERATE_KEY)
    ctx.addIssue({
      code: 'custom',
      path: ['AUDIT_SIGNING_KEY'],
      message:
        'is required (a PKCS#8 Ed25519 PEM or its path; every replica must sign with the same key); ' +
        'set AUDIT_GENERATE_KEY=true only in development to generate one into AUDIT_DATA_DIR',
    });
});
export type AuditEnv = z.infer<typeof auditEnvSchema>;

/** The audit service's tunables, injected as AUDIT_SETTINGS (read once from the validated environment). */
export interface AuditSettings {
  readonly batchMax: number;
  readonly batchWaitMs: number;
  readonly checkpointEvery: number;
  readonly checkpointIntervalMs: number;
  readonly pageSize: number;
}

export const AUDIT_SETTINGS = Symbol('AUDIT_SETTINGS');

export function auditSettings(env: AuditEnv): AuditSettings {
  return {
    batchMax: env.AUDIT_BATCH_MAX,
    batchWaitMs: env.AUDIT_BATCH_WAIT_MS,
    checkpointEvery: env.AUDIT_CHECKPOINT_EVERY,
    checkpointIntervalMs: env.AUDIT_CHECKPOINT_INTERVAL_MS,
    pageSize: env.AUDIT_PAGE_SIZE,
  };
}
