import { defineEvent } from '../define-event';
import { nonEmpty } from '../common';
import { verificationOutcome } from './verification-outcome';

export const verificationFailedEvent = defineEvent({
  name: 'verification.failed',
  version: 1,
  description: 'A check failed or was inconclusive; the batch must not return online.',
  producer: 'verifier',
  schema: verificationOutcome.extend({ reason: nonEmpty }),
});
