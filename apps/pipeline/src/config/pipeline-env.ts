import { z } from 'zod';
import { serviceEnv } from '@conveyor/service-kit';

/** The pipeline's variables on top of every service's. */
export const pipelineEnvSchema = serviceEnv(3000).extend({
  /** A bootstrap admin token (at least 24 characters); without it only tokens stored in the database work. */
  PIPELINE_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Body size limit for manifests and reports, in bytes. */
  PIPELINE_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(10_485_760).default(1_048_576),
  /** How often every API token is re-announced (identity.tokens.announced), so every service converges. */
  PIPELINE_IDENTITY_ANNOUNCE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
});
export type PipelineEnv = z.infer<typeof pipelineEnvSchema>;

/** The pipeline's settings, injected as PIPELINE_SETTINGS (read once from the validated environment). */
export interface PipelineSettings {
  readonly adminToken: string | undefined;
  readonly maxBodyBytes: number;
  readonly identityAnnounceMs: number;
}

export const PIPELINE_SETTINGS = Symbol('PIPELINE_SETTINGS');

export function pipelineSettings(env: PipelineEnv): PipelineSettings {
  return {
    adminToken: env.PIPELINE_ADMIN_TOKEN,
    maxBodyBytes: env.PIPELINE_MAX_BODY_BYTES,
    identityAnnounceMs: env.PIPELINE_IDENTITY_ANNOUNCE_MS,
  };
}
