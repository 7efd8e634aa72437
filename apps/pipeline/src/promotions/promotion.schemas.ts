import { z } from 'zod';
import { identifier, sha256Hex, version } from '@conveyor/contracts';

export const requestPromotionBody = z.strictObject({
  service: identifier,
  version,
  /** The environment to promote to; the version must have succeeded in the one before it. */
  environment: identifier,
});
export type RequestPromotionBody = z.infer<typeof requestPromotionBody>;

export const approveBody = z.strictObject({
  /** The planHash of GET /promotions/:id/plan the approver reviewed. */
  planHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the planHash of GET /promotions/:id/plan (64 hex characters)'),
  /** The artifact sha256 the approver reviewed (required; must be the promotion's). */
  artifactSha256: sha256Hex,
  comment: z.string().max(2000).optional(),
});
export type ApproveBody = z.infer<typeof approveBody>;

export const listPromotionsQuery = z.strictObject({
  service: identifier.optional(),
  status: z.enum(['awaiting_approval', 'deploying', 'succeeded', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListPromotionsQuery = z.infer<typeof listPromotionsQuery>;
