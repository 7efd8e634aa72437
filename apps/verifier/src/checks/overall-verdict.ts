import type { CheckResult } from '@conveyor/contracts';

/** Why checks stopped before they all finished on their own. */
export type StopReason = { kind: 'deadline'; seconds: number } | { kind: 'cancelled'; why: string };

export interface OverallVerdict {
  passed: boolean;
  /** For `verification.failed`: why the gate is closed. */
  reason: string;
  /** One sentence for either outcome. */
  summary: string;
  inconclusiveAccepted: number;
}

/**
 * The gate. No data is not a pass: no check at all, any failed check, or a stop (deadline,
 * cancellation) fails; inconclusive checks fail unless the manifest sets `allowInconclusive`,
 * and then the summary says they were let through.
 */
export function overallVerdict(
  results: readonly CheckResult[],
  options: { allowInconclusive: boolean; stopped?: StopReason },
): OverallVerdict {
  const failed = results.filter((r) => r.verdict === 'failed');
  const inconclusive = results.filter((r) => r.verdict === 'inconclusive');
  const passedCount = results.length - failed.length - inconclusive.length;
  const counts = `${passedCount} of ${results.length} checks passed, ${failed.length} failed, ${inconclusive.length} inconclusive`;
  const fail = (reason: string): OverallVerdict => ({
    passed: false,
    reason,
    summary: `${reason} (${counts})`,
    inconclusiveAccepted: 0,
  });

  if (options.stopped?.kind === 'cancelled') return fail(`cancelled: ${options.stopped.why}`);
  if (options.stopped?.kind === 'deadline') {
    return fail(
      `the verification's deadline of ${options.stopped.seconds} s passed before every check finished`,
    );
  }
  if (results.length === 0) return fail('no check ran: no data is not a pass');
  if (failed.length > 0) return fail(`${failed.length} check(s) failed: ${names(failed)}`);
  if (inconclusive.length > 0 && !options.allowInconclusive) {
    return fail(
      `${inconclusive.length} check(s) inconclusive and allowInconclusive is off: ${names(inconclusive)}`,
    );
  }
  if (inconclusive.length > 0) {
    return {
      passed: true,
      reason: '',
      summary: `${counts}; ${inconclusive.length} inconclusive check(s) accepted because the manifest sets allowInconclusive: ${names(inconclusive)}`,
      inconclusiveAccepted: inconclusive.length,
    };
  }
  return {
    passed: true,
    reason: '',
    summary: `all ${results.length} checks passed`,
    inconclusiveAccepted: 0,
  };
}

const NAMED = 5;

function names(results: readonly CheckResult[]): string {
  const shown = results.slice(0, NAMED).map((r) => `${r.serverId} ${r.check} (${firstLine(r.actual)})`);
  const more = results.length > NAMED ? ` and ${results.length - NAMED} more` : '';
  return `${shown.join('; ')}${more}`;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
