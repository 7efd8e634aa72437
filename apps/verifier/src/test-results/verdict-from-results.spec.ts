import type { TestResults, TestResultsError, TestTotals } from './test-results.types';
import { verdictFromResults } from './verdict-from-results';

function results(totals: Partial<TestTotals>, overrides: Partial<TestResults> = {}): TestResults {
  const full: TestTotals = {
    total: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    inconclusive: 0,
    ...totals,
  };
  return {
    ok: true,
    format: 'junit',
    source: 'r.xml',
    totals: full,
    failures: [],
    failuresOmitted: 0,
    warnings: [],
    ...overrides,
  };
}

describe('verdictFromResults', () => {
  it('passes when every test that ran passed, mentioning skipped ones', () => {
    expect(verdictFromResults(results({ total: 5, passed: 4, skipped: 1 }))).toEqual({
      verdict: 'passed',
      reason: '4 of 5 tests passed, 1 skipped',
      failedTests: [],
    });
  });

  it('fails naming the failed and errored tests', () => {
    const outcome = results(
      { total: 4, passed: 2, failed: 1, errored: 1 },
      {
        failures: [
          { name: 'Api.Login', outcome: 'failed', message: 'expected 200' },
          { name: 'Api.Db', outcome: 'errored', message: 'refused' },
        ],
      },
    );

    expect(verdictFromResults(outcome)).toEqual({
      verdict: 'failed',
      reason: '2 of 4 tests failed or errored: Api.Login, Api.Db',
      failedTests: ['Api.Login', 'Api.Db'],
    });
  });

  it('says how many failures are not named when the list was capped', () => {
    const outcome = results(
      { total: 30, passed: 5, failed: 25 },
      { failures: [{ name: 'T1', outcome: 'failed', message: 'm' }], failuresOmitted: 24 },
    );

    expect(verdictFromResults(outcome).reason).toBe('25 of 30 tests failed or errored: T1 and 24 more');
  });

  it('still fails, and says so, when maxFailures 0 left every failure unnamed', () => {
    const outcome = results({ total: 3, passed: 1, failed: 2 }, { failuresOmitted: 2 });

    expect(verdictFromResults(outcome)).toEqual({
      verdict: 'failed',
      reason: '2 of 3 tests failed or errored: none named in the results',
      failedTests: [],
    });
  });

  it('fails on failures even when allowZeroTests is set and nothing passed', () => {
    const outcome = results(
      { total: 1, errored: 1 },
      { failures: [{ name: 'T', outcome: 'errored', message: 'm' }] },
    );

    expect(verdictFromResults(outcome, { allowZeroTests: true }).verdict).toBe('failed');
  });

  it('is inconclusive when the file has no tests: no data is not a pass', () => {
    expect(verdictFromResults(results({}))).toEqual({
      verdict: 'inconclusive',
      reason: 'No tests ran (the file contains no test cases): no data is not a pass',
      failedTests: [],
    });
  });

  it('is inconclusive when every test was skipped', () => {
    expect(verdictFromResults(results({ total: 3, skipped: 3 })).reason).toBe(
      'No tests ran (all 3 test cases were skipped): no data is not a pass',
    );
  });

  it('passes zero tests only when allowZeroTests is set', () => {
    expect(verdictFromResults(results({}), { allowZeroTests: true })).toEqual({
      verdict: 'passed',
      reason: 'No tests ran (the file contains no test cases); accepted because allowZeroTests is set',
      failedTests: [],
    });
  });

  it('is inconclusive when a test was inconclusive and none failed', () => {
    const verdict = verdictFromResults(results({ total: 3, passed: 2, inconclusive: 1 }));

    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.reason).toContain('1 of 3 tests were inconclusive');
  });

  it.each<TestResultsError['kind']>(['file-not-found', 'malformed-xml', 'empty', 'unknown-root'])(
    'is inconclusive with the error message when the file is unusable (%s)',
    (kind) => {
      const error: TestResultsError = { ok: false, kind, source: 'r.xml', message: `r.xml problem ${kind}` };

      expect(verdictFromResults(error, { allowZeroTests: true })).toEqual({
        verdict: 'inconclusive',
        reason: `Test results could not be used: r.xml problem ${kind}`,
        failedTests: [],
      });
    },
  );
});
