import { z } from 'zod';
import { ROLES } from './role-policy';

export const createTokenBody = z.strictObject({
  /** Who holds the token: a person (e.g. alice@example.com) or a machine (jenkins). */
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[^\s]+$/, 'must have no spaces'),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
});
export type CreateTokenBody = z.infer<typeof createTokenBody>;
