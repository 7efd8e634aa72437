import { z } from 'zod';
import { serviceEnv } from '@conveyor/service-kit';

/** The verifier's variables on top of every service's. */
export const verifierEnvSchema = serviceEnv(3003).extend({
  /** Verifications (and, separately, bake windows) one instance runs at once. */
  VERIFIER_MAX_ACTIVE: z.coerce.number().int().min(1).max(256).default(8),
  /** How often the runners look for unclaimed work (new requests, work of a dead instance). */
  VERIFIER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** A runner's claim on a verification; renewed while it runs, taken over by another instance when it expires. */
  VERIFIER_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(30),
  /** How many times a verification is taken up (first run + resumes after restarts) before it fails. */
  VERIFIER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Where smoke suites get their fresh working directories. Default: the OS temp directory. */
  VERIFIER_WORK_DIR: z.string().min(1).optional(),
  /**
   * Smoke suites run as this user (numeric uid, or a name from /etc/passwd) and group instead of
   * the verifier's: they cannot read its environment (/proc/<pid>/environ), files or signal it.
   * Needs the verifier to run as root (or with CAP_SETUID/CAP_SETGID/CAP_KILL). Never 0.
   */
  SMOKE_RUN_AS_UID: z.coerce.number().int().min(1).max(4_294_967_294).optional(),
  SMOKE_RUN_AS_GID: z.coerce.number().int().min(1).max(4_294_967_294).optional(),
  SMOKE_RUN_AS_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'must be a user name')
    .optional(),
  /** Largest result file a suite may leave (bytes); larger is refused (inconclusive). Default 64 MiB. */
  VERIFIER_RESULT_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 31)
    .default(64 * 1024 * 1024),
});
export type VerifierEnv = z.infer<typeof verifierEnvSchema>;

/** The verifier's settings, injected as VERIFIER_SETTINGS (read once from the validated environment). */
export interface VerifierSettings {
  readonly maxActive: number;
  readonly pollMs: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  /** Where smoke suites get their working directories; undefined: the OS temp directory. */
  readonly workDir: string | undefined;
  readonly resultFileMaxBytes: number;
  /** Whom smoke suites run as (the variables as given; checked by `suiteIdentity`). */
  readonly suiteRunAs: Pick<VerifierEnv, 'SMOKE_RUN_AS_UID' | 'SMOKE_RUN_AS_GID' | 'SMOKE_RUN_AS_USER'>;
}

export const VERIFIER_SETTINGS = Symbol('VERIFIER_SETTINGS');

export function verifierSettings(env: VerifierEnv): VerifierSettings {
  return {
    maxActive: env.VERIFIER_MAX_ACTIVE,
    pollMs: env.VERIFIER_POLL_MS,
    leaseMs: env.VERIFIER_LEASE_SECONDS * 1000,
    maxAttempts: env.VERIFIER_MAX_ATTEMPTS,
    workDir: env.VERIFIER_WORK_DIR,
    resultFileMaxBytes: env.VERIFIER_RESULT_FILE_MAX_BYTES,
    suiteRunAs: {
      SMOKE_RUN_AS_UID: env.SMOKE_RUN_AS_UID,
      SMOKE_RUN_AS_GID: env.SMOKE_RUN_AS_GID,
      SMOKE_RUN_AS_USER: env.SMOKE_RUN_AS_USER,
    },
  };
}
