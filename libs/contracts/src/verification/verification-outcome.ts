import { z } from 'zod';
import { identifier, uuid } from '../common';

export const checkResult = z.object({
  serverId: identifier,
  check: z.string().min(1),
  type: z.enum(['http', 'command', 'test-results']),
  verdict: z.enum(['passed', 'failed', 'inconclusive']),
  expected: z.string().max(2000),
  actual: z.string().max(8000),
  durationMs: z.number().int().nonnegative(),
});
export type CheckResult = z.infer<typeof checkResult>;

export const verificationOutcome = z.object({
  verificationId: uuid,
  deploymentId: uuid,
  batchIndex: z.number().int().min(0),
  results: z.array(checkResult),
  durationMs: z.number().int().nonnegative(),
});
