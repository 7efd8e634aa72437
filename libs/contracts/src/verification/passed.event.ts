import type { z } from 'zod';
import { defineEvent } from '../define-event';
import { verificationOutcome } from './verification-outcome';

export const verificationPassedEvent = defineEvent({
  name: 'verification.passed',
  version: 1,
  description: 'Every check of every server passed.',
  producer: 'verifier',
  schema: verificationOutcome,
});
export type VerificationPassed = z.infer<typeof verificationPassedEvent.schema>;
