import type { CheckResult, VerificationRequested, VerificationTarget } from '@conveyor/contracts';
import { runCommandSuite } from '../checks/command-suite.check';
import { concurrencyLimiter } from '../checks/concurrency-limiter';
import { deadlineAfter, earliestDeadline, remainingMs } from '../checks/deadline';
import { runHealthCheck } from '../checks/http-health.check';
import type { StopReason } from '../checks/overall-verdict';
import type { SuiteIdentity } from '../checks/suite-identity';

export interface ExecutionInput {
  request: VerificationRequested;
  /** Epoch ms when the verification's overall deadline passes. */
  deadlineMs: number;
  /** Aborted (with an Error saying why) when the deployment is aborted or the service stops. */
  cancel: AbortSignal;
  workRoot: string;
  /** Smoke suites' own user (SMOKE_RUN_AS_*), and the largest result file read. */
  suiteRunAs?: SuiteIdentity;
  maxResultFileBytes?: number;
  /** Called as each check finishes (metrics). */
  onCheck?: (result: CheckResult) => void;
}

export interface Execution {
  results: CheckResult[];
  stopped?: StopReason;
}

/**
 * Runs every check of a verification: per server the health check, then (once it passed)
 * the smoke suites; at most `spec.concurrency` checks at once; everything stops at the
 * overall deadline or on cancellation, and what did not finish says so (inconclusive).
 */
export async function executeVerification(input: ExecutionInput): Promise<Execution> {
  const { request, cancel } = input;
  const stop = new AbortController();
  const deadlineTimer = setTimeout(
    () => stop.abort(new Error(`the verification's deadline of ${request.spec.timeoutSeconds} s passed`)),
    remainingMs(input.deadlineMs, Date.now()),
  );
  const onCancel = (): void => stop.abort(cancel.reason);
  if (cancel.aborted) onCancel();
  else cancel.addEventListener('abort', onCancel, { once: true });
  const limit = concurrencyLimiter(request.spec.concurrency);
  const results: CheckResult[] = [];
  const record = (result: CheckResult): void => {
    results.push(result);
    input.onCheck?.(result);
  };
  try {
    await Promise.all(
      request.servers.map((server) => checkServer(server, input, stop.signal, limit, record)),
    );
  } finally {
    clearTimeout(deadlineTimer);
    cancel.removeEventListener('abort', onCancel);
  }
  const stopped: StopReason | undefined = cancel.aborted
    ? { kind: 'cancelled', why: reasonText(cancel.reason) }
    : stop.signal.aborted
      ? { kind: 'deadline', seconds: request.spec.timeoutSeconds }
      : undefined;
  return stopped ? { results: ordered(results, request), stopped } : { results: ordered(results, request) };
}

async function checkServer(
  server: VerificationTarget,
  input: ExecutionInput,
  signal: AbortSignal,
  limit: <T>(task: () => Promise<T>) => Promise<T>,
  record: (result: CheckResult) => void,
): Promise<void> {
  const { request } = input;
  const health = request.spec.health;
  const healthResult = await limit(async () =>
    signal.aborted
      ? notRun(server.id, `http ${health.path}`, 'http', `not run: ${reasonText(signal.reason)}`)
      : runHealthCheck({
          server,
          spec: health,
          expectedVersion: request.expectedVersion,
          deadlineMs: earliestDeadline(input.deadlineMs, deadlineAfter(Date.now(), health.timeoutSeconds)),
          signal,
        }),
  );
  record(healthResult);
  await Promise.all(
    request.spec.smoke.map(async (suite) => {
      if (healthResult.verdict !== 'passed') {
        record(
          notRun(
            server.id,
            `smoke ${suite.name}`,
            'command',
            'not run: the server did not pass its health check',
          ),
        );
        return;
      }
      const suiteResults = await limit(async () =>
        signal.aborted
          ? [notRun(server.id, `smoke ${suite.name}`, 'command', `not run: ${reasonText(signal.reason)}`)]
          : runCommandSuite({
              suite,
              workRoot: input.workRoot,
              signal,
              ...(input.suiteRunAs === undefined ? {} : { runAs: input.suiteRunAs }),
              ...(input.maxResultFileBytes === undefined
                ? {}
                : { maxResultFileBytes: input.maxResultFileBytes }),
              context: {
                server,
                verificationId: request.verificationId,
                deploymentId: request.deploymentId,
                batchIndex: request.batchIndex,
                service: request.service,
                environment: request.environment,
                expectedVersion: request.expectedVersion,
              },
            }),
      );
      suiteResults.forEach(record);
    }),
  );
}

function notRun(serverId: string, check: string, type: CheckResult['type'], actual: string): CheckResult {
  return {
    serverId,
    check,
    type,
    verdict: 'inconclusive',
    expected: 'the check runs',
    actual,
    durationMs: 0,
  };
}

/** Results in request order (servers, then health before suites), whatever order they finished in. */
function ordered(results: CheckResult[], request: VerificationRequested): CheckResult[] {
  const serverIndex = new Map(request.servers.map((s, i) => [s.id, i]));
  return [...results].sort(
    (a, b) => (serverIndex.get(a.serverId) ?? 0) - (serverIndex.get(b.serverId) ?? 0) || rank(a) - rank(b),
  );
}

function rank(result: CheckResult): number {
  return result.type === 'http' ? 0 : 1;
}

export function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'stopped');
}
