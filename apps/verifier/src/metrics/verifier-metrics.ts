import { Injectable } from '@nestjs/common';
import { counter, histogram } from '@conveyor/observability';

/** The verifier's Prometheus metrics. */
@Injectable()
export class VerifierMetrics {
  private readonly verifications = counter({
    name: 'conveyor_verifications_total',
    help: 'Verifications finished, by outcome: passed or failed.',
    labelNames: ['outcome'] as const,
  });
  private readonly verificationDuration = histogram({
    name: 'conveyor_verification_seconds',
    help: 'Time from the start of a verification to its outcome.',
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  });
  private readonly checks = counter({
    name: 'conveyor_checks_total',
    help: 'Checks run, by type (http, command, test-results) and outcome (passed, failed, inconclusive).',
    labelNames: ['type', 'outcome'] as const,
  });
  private readonly bakes = counter({
    name: 'conveyor_bakes_total',
    help: 'Bake windows ended, by outcome: healthy, degraded or cancelled.',
    labelNames: ['outcome'] as const,
  });

  verificationEnded(passed: boolean, durationMs?: number): void {
    this.verifications.inc({ outcome: passed ? 'passed' : 'failed' });
    if (durationMs !== undefined) this.verificationDuration.observe(durationMs / 1000);
  }

  checkRun(type: string, verdict: string): void {
    this.checks.inc({ type, outcome: verdict });
  }

  bakeEnded(outcome: string): void {
    this.bakes.inc({ outcome });
  }
}
