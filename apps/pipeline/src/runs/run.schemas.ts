import { z } from 'zod';
import { artifactUrl, identifier, isoTime, sha256Hex, version } from '@conveyor/contracts';

const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const createRunBody = z.strictObject({
  service: identifier,
  version,
  commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a git commit hash'),
  branch: name,
  jobUrl: z.url({ error: 'must be a URL' }).max(2000).optional(),
  buildNumber: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0).optional(),
  /** When the commit was made: the start of the DORA lead time. */
  committedAt: isoTime.optional(),
});
export type CreateRunBody = z.infer<typeof createRunBody>;

const count = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more');

export const reportStageBody = z
  .strictObject({
    name,
    status: z.enum(['running', 'succeeded', 'failed', 'skipped'], {
      error: 'must be running, succeeded, failed or skipped',
    }),
    environment: identifier.optional(),
    startedAt: isoTime.optional(),
    finishedAt: isoTime.optional(),
    tests: z
      .strictObject({ total: count, failed: count, skipped: count })
      .refine((t) => t.failed + t.skipped <= t.total, {
        message: 'failed + skipped must not exceed total',
        path: ['total'],
      })
      .optional(),
  })
  .refine((s) => !s.startedAt || !s.finishedAt || Date.parse(s.finishedAt) >= Date.parse(s.startedAt), {
    message: 'must not be before startedAt',
    path: ['finishedAt'],
  });
export type ReportStageBody = z.infer<typeof reportStageBody>;

export const publishArtifactBody = z.strictObject({
  url: artifactUrl,
  sha256: sha256Hex,
  /** Bytes; agents refuse a download that is not exactly this size. */
  size: z
    .number({ error: 'is required: the artifact size in bytes' })
    .int()
    .min(1, 'must be at least 1 byte')
    .max(Number.MAX_SAFE_INTEGER),
  /** Defaults to the run's version; if given it must be the same. */
  version: version.optional(),
});
export type PublishArtifactBody = z.infer<typeof publishArtifactBody>;

export const listRunsQuery = z.strictObject({
  service: identifier.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
