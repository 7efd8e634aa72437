import type { VerificationPassed } from '@conveyor/contracts';

/** What a finished verification stored: the payload it emitted. */
export type VerificationOutcome = VerificationPassed;
