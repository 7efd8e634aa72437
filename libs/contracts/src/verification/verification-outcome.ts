import { z } from 'zod';
import { identifier, uuid } from '../common';

/** A failing test named in a result file, with its message. */
export const failedTest = z.object({
  name: z.string().min(1).max(1000),
  message: z.string().max(2000),
});

export const checkResult = z.object({
  serverId: identifier,
  check: z.string().min(1),
  type: z.enum(['http', 'command', 'test-results']),
  verdict: z.enum(['passed', 'failed', 'inconclusive']),
  /** What was checked and what was expected, e.g. `GET /health → 200, JSON version = 1.4.2`. */
  expected: z.string().max(2000),
  /** What came back: status and body excerpt, exit code and output tail, test totals… */
  actual: z.string().max(8000),
  durationMs: z.number().int().nonnegative(),
  /** Failing tests of a result file (at most 50), for `test-results` checks. */
  failedTests: z.array(failedTest).max(50).optional(),
});
export type CheckResult = z.infer<typeof checkResult>;

export const verificationOutcome = z.object({
  verificationId: uuid,
  deploymentId: uuid,
  batchIndex: z.number().int().min(0),
  results: z.array(checkResult),
  durationMs: z.number().int().nonnegative(),
  /** One sentence for people: how many checks passed, failed, were inconclusive, and why. */
  summary: z.string().min(1).max(2000),
  /** Inconclusive checks the manifest's `allowInconclusive` let through (0 when it is off). */
  inconclusiveAccepted: z.number().int().nonnegative().default(0),
});
