import { z } from 'zod';

/** A count (`2`) or a share of the fleet (`"25%"`). */
const COUNT_OR_PERCENT = 'must be a count or a percentage';
export const countOrPercent = z.union(
  [
    z.number({ error: COUNT_OR_PERCENT }).int(COUNT_OR_PERCENT).min(0, COUNT_OR_PERCENT),
    z.string().regex(/^(100|[1-9]?[0-9](\.[0-9]+)?)%$/, COUNT_OR_PERCENT),
  ],
  { error: COUNT_OR_PERCENT },
);
export type CountOrPercent = z.infer<typeof countOrPercent>;

export const rolloutStrategySchema = z.object({
  batchSize: countOrPercent.refine((v) => v !== 0 && v !== '0%', 'must be at least 1 server'),
  canary: countOrPercent.nullable().optional(),
  maxUnavailable: countOrPercent.optional(),
  minHealthy: countOrPercent,
  drainTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
  onDrainTimeout: z.enum(['fail', 'shutdown_sessions']).default('fail'),
  onFailure: z.enum(['rollback', 'hold', 'rollback-all']).default('rollback'),
  stepTimeoutSeconds: z.number().int().min(5).max(7200).default(600),
});
export type RolloutStrategy = z.infer<typeof rolloutStrategySchema>;
