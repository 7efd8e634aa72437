import type { CheckResult, VerificationTarget } from '@conveyor/contracts';
import { attemptTimeoutMs, delayBeforeNextAttempt, formatSeconds } from './deadline';
import {
  describeHealthExpectation,
  evaluateHealthAnswer,
  type HealthCheckSpec,
} from './health-answer.evaluator';
import { askOnce } from './http-probe';
import { NO_OBSERVATION, observe } from './last-observation';
import { clip } from './result-text';
import { sleepUnlessStopped } from './sleep-unless-stopped';

export interface HealthCheckInput {
  server: VerificationTarget;
  spec: HealthCheckSpec;
  expectedVersion: string;
  /** Epoch ms: the end of the warm-up window (already cut to the verification's deadline). */
  deadlineMs: number;
  /** Aborted when the verification stops (deadline, cancellation). */
  signal: AbortSignal;
}

/**
 * The HTTP health check: asks until an answer meets the spec or the warm-up window ends.
 * A server slow to start passes once it answers well; one that never does fails with its
 * last answer (or why there was none).
 */
export async function runHealthCheck(input: HealthCheckInput): Promise<CheckResult> {
  const { server, spec, expectedVersion, deadlineMs, signal } = input;
  const started = Date.now();
  const url = `http://${server.address}${spec.path}`;
  const base = {
    serverId: server.id,
    check: `http ${spec.path}`,
    type: 'http' as const,
    expected: describeHealthExpectation(spec, expectedVersion),
  };
  let attempts = 0;
  let last = NO_OBSERVATION;
  for (;;) {
    const attemptStarted = Date.now();
    const timeoutMs = attemptTimeoutMs(spec.requestTimeoutMs, deadlineMs, attemptStarted);
    if (timeoutMs <= 0 && attempts > 0) break;
    attempts += 1;
    const answer = await askOnce(url, server.headers, timeoutMs, signal);
    if (answer.ok) {
      const judgement = evaluateHealthAnswer(spec, expectedVersion, answer.answer);
      if (judgement.ok) {
        const elapsed = Date.now() - started;
        return {
          ...base,
          verdict: 'passed',
          actual: `${judgement.detail} (attempt ${attempts}, after ${formatSeconds(elapsed)})`,
          durationMs: elapsed,
        };
      }
      last = observe(last, { text: judgement.detail, answered: true, cutShortByWindow: false });
    } else {
      const cutShortByWindow = timeoutMs < spec.requestTimeoutMs;
      last = observe(last, { text: answer.why, answered: false, cutShortByWindow });
    }
    if (signal.aborted) {
      const elapsed = Date.now() - started;
      return {
        ...base,
        verdict: 'inconclusive',
        actual: clip(`stopped before an answer met the spec (${stopWhy(signal)}); last: ${last.text}`, 8000),
        durationMs: elapsed,
      };
    }
    const delay = delayBeforeNextAttempt(spec.intervalMs, attemptStarted, Date.now(), deadlineMs);
    if (delay === undefined) break;
    await sleepUnlessStopped(delay, signal);
  }
  const elapsed = Date.now() - started;
  const actual = `${last.text} (${attempts} attempt(s) over ${formatSeconds(elapsed)}; warm-up window ended)`;
  return { ...base, verdict: 'failed', actual: clip(actual, 8000), durationMs: elapsed };
}

function stopWhy(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'stopped');
}
