import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, isoTime, nonEmpty, uuid } from '../common';

export const pipelineStageReportedEvent = defineEvent({
  name: 'pipeline.stage.reported',
  version: 1,
  description: 'Jenkins reported a stage of a run.',
  producer: 'pipeline',
  schema: z.object({
    runId: uuid,
    environment: identifier.optional(),
    name: nonEmpty,
    status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
    startedAt: isoTime.optional(),
    finishedAt: isoTime.optional(),
    tests: z
      .object({
        total: z.number().int().min(0),
        failed: z.number().int().min(0),
        skipped: z.number().int().min(0),
      })
      .optional(),
  }),
});
