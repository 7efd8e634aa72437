import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier } from '../common';

export const serviceManifestAppliedEvent = defineEvent({
  name: 'service.manifest.applied',
  version: 1,
  description: 'A service manifest was created or changed.',
  producer: 'pipeline',
  schema: z.object({
    service: identifier,
    manifestVersion: z.number().int().min(1),
    environments: z.array(identifier),
  }),
});
