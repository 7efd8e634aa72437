import { counter, histogram } from '@conveyor/observability';

export const verificationsTotal = counter({
  name: 'conveyor_verifications_total',
  help: 'Verifications finished, by outcome: passed or failed.',
  labelNames: ['outcome'] as const,
});

export const verificationSeconds = histogram({
  name: 'conveyor_verification_seconds',
  help: 'Time from the start of a verification to its outcome.',
  buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
});

export const checksTotal = counter({
  name: 'conveyor_checks_total',
  help: 'Checks run, by type (http, command, test-results) and outcome (passed, failed, inconclusive).',
  labelNames: ['type', 'outcome'] as const,
});

export const bakesTotal = counter({
  name: 'conveyor_bakes_total',
  help: 'Bake windows ended, by outcome: healthy, degraded or cancelled.',
  labelNames: ['outcome'] as const,
});
