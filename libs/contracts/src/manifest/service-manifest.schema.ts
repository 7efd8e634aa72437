import { z } from 'zod';
import { facts, identifier, targetServer } from '../common';
import { rolloutStrategySchema } from './strategy.schema';
import { verificationSpecSchema } from './verification.schema';

export const approvalRuleSchema = z.object({
  required: z.number().int().min(0).max(10).default(0),
  /** The person who requested a promotion may not approve it. */
  separationOfDuties: z.boolean().default(true),
  expiresAfterHours: z.number().min(1).max(720).default(24),
});

export const migrationSpecSchema = z.object({
  /** Node id of the agent that runs the migration hook, once, before the first batch. */
  runner: identifier,
  timeoutSeconds: z.number().int().min(1).max(7200).default(900),
  /** Old and new versions serve side by side during a rollout: the migration must be backward compatible. */
  backwardCompatible: z.literal(true, { error: 'must be true: old and new versions run side by side' }),
});

export const environmentSpecSchema = z
  .object({
    pool: identifier,
    servers: z.array(targetServer).optional(),
    select: z.object({ facts }).optional(),
    strategy: rolloutStrategySchema,
    verification: verificationSpecSchema.default(verificationSpecSchema.parse({})),
    approvals: approvalRuleSchema.default(approvalRuleSchema.parse({})),
    migration: migrationSpecSchema.optional(),
  })
  .refine((e) => (e.servers?.length ?? 0) > 0 || e.select !== undefined, {
    message: 'must list servers or select them by agent facts',
    path: ['servers'],
  });
export type EnvironmentSpec = z.infer<typeof environmentSpecSchema>;

export const serviceManifestSchema = z.object({
  service: identifier,
  description: z.string().max(2000).optional(),
  os: z.enum(['linux', 'windows']).default('linux'),
  /** Environments in promotion order, e.g. dev → qa → staging → prod. */
  environments: z
    .record(identifier, environmentSpecSchema)
    .refine((envs) => Object.keys(envs).length > 0, 'must declare at least one environment'),
});
export type ServiceManifest = z.infer<typeof serviceManifestSchema>;

/** Environment names in promotion order (the manifest's declaration order). */
export function environmentOrder(manifest: ServiceManifest): string[] {
  return Object.keys(manifest.environments);
}
