import { z } from 'zod';
import { identifier, uuid, version } from '../common';

/** What every agent report about a step carries. */
export const agentStepReport = z.object({
  commandId: uuid,
  deploymentId: uuid,
  stepId: z.string().min(1).max(200),
  nodeId: identifier,
  version: version.optional(),
});

export const agentStepFailure = agentStepReport.extend({
  phase: z.enum(['download', 'checksum', 'unpack', 'hook', 'switch', 'interrupted', 'no_previous_release']),
  hook: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  reason: z.string().min(1),
  outputTail: z.string().max(8000).optional(),
  durationMs: z.number().int().nonnegative(),
});
