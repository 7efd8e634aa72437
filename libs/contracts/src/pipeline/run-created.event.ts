import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, isoTime, nonEmpty, uuid, version } from '../common';

export const pipelineRunCreatedEvent = defineEvent({
  name: 'pipeline.run.created',
  version: 1,
  description: 'Jenkins started a pipeline run for a build.',
  producer: 'pipeline',
  schema: z.object({
    runId: uuid,
    service: identifier,
    version,
    commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a git commit hash'),
    branch: nonEmpty,
    jobUrl: z.string().url().optional(),
    buildNumber: z.number().int().min(0).optional(),
    /** When the commit was made: the start of the DORA lead time (the run's creation when absent). */
    committedAt: isoTime.optional(),
  }),
});
