export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_FAILURES, parseTestResults } from './parse-test-results';
export { verdictFromResults } from './verdict-from-results';
export type { TestVerdict, TestVerdictResult, VerdictOptions } from './verdict-from-results';
export type {
  ParseTestResultsOptions,
  TestFailure,
  TestResultFormat,
  TestResults,
  TestResultsError,
  TestResultsErrorKind,
  TestResultsOutcome,
  TestTotals,
} from './test-results.types';
