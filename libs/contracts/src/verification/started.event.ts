import { z } from 'zod';
import { defineEvent } from '../define-event';
import { uuid } from '../common';

export const verificationStartedEvent = defineEvent({
  name: 'verification.started',
  version: 1,
  description: 'The verifier began checking a batch.',
  producer: 'verifier',
  schema: z.object({ verificationId: uuid, deploymentId: uuid, batchIndex: z.number().int().min(0) }),
});
