import { defineEvent } from '../define-event';
import { artifactRef, uuid } from '../common';

export const artifactPublishedEvent = defineEvent({
  name: 'artifact.published',
  version: 1,
  description: 'A build produced an artifact.',
  producer: 'pipeline',
  schema: artifactRef.extend({ artifactId: uuid, runId: uuid.optional() }),
});
