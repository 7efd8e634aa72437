import { z } from 'zod';
import { identifier } from '@conveyor/contracts';

const reason = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters');

export const abortBody = z.strictObject({ reason });
export type AbortBody = z.infer<typeof abortBody>;

export const excludeHostBody = z.strictObject({ serverId: identifier, reason });
export type ExcludeHostBody = z.infer<typeof excludeHostBody>;

/** pause, resume and retry take no body; an empty object is accepted. */
export const emptyBody = z.strictObject({}).optional();

export const listDeploymentsQuery = z.strictObject({
  service: identifier.optional(),
  environment: identifier.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListDeploymentsQuery = z.infer<typeof listDeploymentsQuery>;
