import type { TestResultsOutcome } from './test-results.types';

export type TestVerdict = 'passed' | 'failed' | 'inconclusive';

export interface VerdictOptions {
  /** Accept a file with no test that ran (passed, failed or errored) as a pass. Default false. */
  allowZeroTests?: boolean;
}

export interface TestVerdictResult {
  verdict: TestVerdict;
  /** One sentence for the operator and the audit log. */
  reason: string;
  /** Names of failed and errored tests (as listed; see `failuresOmitted`). Empty unless failed. */
  failedTests: string[];
}

const NAMES_IN_REASON = 10;

/**
 * Judges parsed results, or a parse error, for a rollout gate. No data is not a pass:
 * - any failed or errored test → `failed`, naming them;
 * - an unreadable, missing or malformed file → `inconclusive`, with the error;
 * - no test ran (all skipped, or none at all) → `inconclusive`, unless `allowZeroTests`;
 * - any inconclusive test (and none failed) → `inconclusive`;
 * - otherwise `passed`.
 */
export function verdictFromResults(
  outcome: TestResultsOutcome,
  options: VerdictOptions = {},
): TestVerdictResult {
  if (!outcome.ok) {
    return {
      verdict: 'inconclusive',
      reason: `Test results could not be used: ${outcome.message}`,
      failedTests: [],
    };
  }
  const { totals, failures } = outcome;
  const broken = totals.failed + totals.errored;
  if (broken > 0) {
    const names = failures.map((failure) => failure.name);
    const shown = names.slice(0, NAMES_IN_REASON);
    const unnamed = broken - shown.length;
    const listed = shown.length === 0 ? 'none named in the results' : shown.join(', ');
    const more = unnamed > 0 && shown.length > 0 ? ` and ${unnamed} more` : '';
    return {
      verdict: 'failed',
      reason: `${broken} of ${totals.total} tests failed or errored: ${listed}${more}`,
      failedTests: names,
    };
  }
  const ran = totals.passed + totals.inconclusive;
  if (ran === 0) {
    const what =
      totals.total === 0 ? 'the file contains no test cases' : `all ${totals.total} test cases were skipped`;
    if (options.allowZeroTests) {
      return {
        verdict: 'passed',
        reason: `No tests ran (${what}); accepted because allowZeroTests is set`,
        failedTests: [],
      };
    }
    return {
      verdict: 'inconclusive',
      reason: `No tests ran (${what}): no data is not a pass`,
      failedTests: [],
    };
  }
  if (totals.inconclusive > 0) {
    return {
      verdict: 'inconclusive',
      reason: `${totals.inconclusive} of ${totals.total} tests were inconclusive and none failed: the suite could not confirm the server works`,
      failedTests: [],
    };
  }
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  return {
    verdict: 'passed',
    reason: `${totals.passed} of ${totals.total} tests passed${skipped}`,
    failedTests: [],
  };
}
