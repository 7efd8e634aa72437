import { z } from 'zod';

/**
 * The parts of the pipeline's answers the CLI reads, checked before use. Loose objects: fields
 * the CLI does not read pass through untouched (and are printed as they came with --json).
 */
const nullableString = z.string().nullable();

export const manifestApplied = z.looseObject({
  service: z.string(),
  version: z.number(),
  changed: z.boolean(),
  environments: z.array(z.string()),
});
export const serviceSummary = z.looseObject({
  service: z.string(),
  version: z.number(),
  environments: z.array(z.string()),
  appliedBy: z.string().nullish(),
  appliedAt: z.string().nullish(),
});
export const serviceList = z.array(serviceSummary);
export const serviceDetail = serviceSummary.extend({ manifest: z.unknown() });

export const stage = z.looseObject({
  name: z.string(),
  status: z.string(),
  environment: nullableString.optional(),
  tests: z.looseObject({ total: z.number(), failed: z.number(), skipped: z.number() }).nullish(),
});
export const artifact = z.looseObject({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  url: z.string(),
  sha256: z.string(),
  size: z.number().nullish(),
});
export const run = z.looseObject({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  commit: z.string(),
  branch: z.string(),
  buildNumber: z.number().nullish(),
  stages: z.array(stage).optional(),
  artifacts: z.array(artifact).optional(),
});
export const runList = z.array(run);
export const stageReported = z.looseObject({ outcome: z.string(), stage });
export const artifactPublished = z.looseObject({ outcome: z.string(), artifact });

export const promotion = z.looseObject({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  fromEnvironment: nullableString,
  toEnvironment: z.string(),
  status: z.string(),
  requestedBy: z.string(),
  deploymentId: nullableString,
  planHash: nullableString,
  approvals: z.looseObject({
    required: z.number(),
    valid: z.array(z.string()),
    missing: z.number(),
    voided: z.array(z.looseObject({ approver: z.string(), reason: z.string() })),
  }),
});
export type Promotion = z.infer<typeof promotion>;
export const promotionList = z.array(promotion);

const plannedBatch = z.looseObject({
  index: z.number(),
  kind: z.string(),
  serverIds: z.array(z.string()),
  capacity: z.looseObject({ onlineDuring: z.number(), floor: z.number(), headroom: z.number() }),
  estimate: z.looseObject({ totalSeconds: z.number(), startsAtSeconds: z.number() }),
});
export const promotionPlan = z.looseObject({
  promotionId: z.string(),
  planHash: z.string(),
  manifestVersion: z.number().nullish(),
  artifact: z.looseObject({ url: z.string(), sha256: z.string() }).nullish(),
  plan: z.looseObject({
    service: z.string(),
    environment: z.string(),
    version: z.string(),
    targets: z.union([
      z.looseObject({ source: z.literal('listed'), servers: z.array(z.string()) }),
      z.looseObject({
        source: z.literal('facts'),
        facts: z.record(z.string(), z.string()),
        note: z.string(),
      }),
    ]),
    migration: z.unknown().optional(),
    rollout: z.union([
      z.looseObject({
        ok: z.literal(true),
        batches: z.array(plannedBatch),
        effectiveBatchSize: z.number(),
        batchSizeLimitedBy: z.string(),
        floor: z.number(),
        estimatedSeconds: z.number(),
      }),
      z.looseObject({ ok: z.literal(false), code: z.string(), reason: z.string() }),
      z.looseObject({ ok: z.null(), reason: z.string() }),
    ]),
  }),
});
export type PromotionPlan = z.infer<typeof promotionPlan>;

export const serverStep = z.enum([
  'pending',
  'draining',
  'drained',
  'deploying',
  'deployed',
  'verifying',
  'verified',
  'enabling',
  'online',
  'rolling_back',
  'held',
  'failed',
  'excluded',
]);
export type ServerStep = z.infer<typeof serverStep>;
export const deploymentStatus = z.enum([
  'requested',
  'running',
  'paused',
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
  'rejected',
]);
export type DeploymentStatus = z.infer<typeof deploymentStatus>;

export const deploymentView = z.looseObject({
  id: z.string(),
  service: nullableString,
  environment: nullableString,
  version: nullableString,
  manifestVersion: z.number().nullable(),
  requestedBy: nullableString,
  approvedBy: z.array(z.string()),
  status: deploymentStatus,
  requestedAt: nullableString,
  startedAt: nullableString,
  finishedAt: nullableString,
  durationMs: z.number().nullable(),
  plan: z
    .object({ minHealthy: z.number(), totalServers: z.number(), estimatedSeconds: z.number() })
    .nullable(),
  batches: z.array(
    z.object({
      index: z.number(),
      kind: z.enum(['canary', 'regular']),
      servers: z.array(z.string()),
      status: z.enum(['pending', 'running', 'completed']),
      startedAt: nullableString,
      completedAt: nullableString,
      durationMs: z.number().nullable(),
    }),
  ),
  servers: z.record(
    z.string(),
    z.object({ batchIndex: z.number(), step: serverStep, detail: nullableString, updatedAt: z.string() }),
  ),
  outcome: z
    .object({ status: z.string(), reason: nullableString, step: nullableString, serverId: nullableString })
    .nullable(),
  updatedAt: z.string(),
});
export type DeploymentView = z.infer<typeof deploymentView>;
export const deploymentList = z.array(deploymentView);
export const controlAccepted = z.looseObject({
  deploymentId: z.string(),
  requested: z.string(),
  status: z.string(),
});

export const TERMINAL: readonly DeploymentStatus[] = [
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
  'rejected',
];
export const isTerminal = (status: DeploymentStatus) => TERMINAL.includes(status);
