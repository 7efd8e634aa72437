/** The result-file formats the verifier understands, named after their root element family. */
export type TestResultFormat = 'junit' | 'nunit3' | 'nunit2';

/** Counts of the test cases actually seen in the file (never copied from declared attributes). */
export interface TestTotals {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  inconclusive: number;
}

/** One failing or erroring test case. */
export interface TestFailure {
  /** Fully qualified: the framework's own qualified name where the format records one, else suite path + test name. */
  name: string;
  outcome: 'failed' | 'errored';
  /** The failure message, trimmed and capped in length. */
  message: string;
  /** The last lines of the stack trace, when the file has one. */
  stackTraceTail?: string;
}

/** A result file read to the end without error. */
export interface TestResults {
  ok: true;
  format: TestResultFormat;
  /** The path given, or the source name given for a stream. */
  source: string;
  totals: TestTotals;
  /** At most `maxFailures` entries, in document order. */
  failures: TestFailure[];
  /** How many failing test cases were left out of `failures` by the cap. */
  failuresOmitted: number;
  durationSeconds?: number;
  /** Things a reader should know: declared totals that disagree with the counted ones, unknown result values. */
  warnings: string[];
}

export type TestResultsErrorKind =
  | 'file-not-found'
  | 'not-a-file'
  | 'too-large'
  | 'unreadable'
  | 'empty'
  | 'unsupported-encoding'
  | 'not-xml'
  | 'malformed-xml'
  | 'doctype-refused'
  | 'too-deep'
  | 'unknown-root';

/** Why a result file could not be read. Returned, never thrown. */
export interface TestResultsError {
  ok: false;
  kind: TestResultsErrorKind;
  source: string;
  /** A sentence an operator can act on, naming the file and what is wrong. */
  message: string;
  /** 1-based line, as reported by saxes, for errors found inside the XML. */
  line?: number;
  /** Column, as reported by saxes, for errors found inside the XML. */
  column?: number;
  /** The root element found, for `unknown-root`. */
  rootElement?: string;
}

export type TestResultsOutcome = TestResults | TestResultsError;

export interface ParseTestResultsOptions {
  /** Most failures listed by name; the rest are counted in `failuresOmitted`. Default 50. */
  maxFailures?: number;
  /** Deepest element nesting accepted before giving up with `too-deep`. Default 256. */
  maxDepth?: number;
  /** Name used in messages when parsing a stream. Default "stream". */
  sourceName?: string;
  /** Largest file (or stream) read, in bytes; more is refused as `too-large`. Default 64 MiB. */
  maxBytes?: number;
  /**
   * When given, a path is read only if it really lies inside this directory (no link in between
   * leads out of it): a suite cannot make the verifier read another file.
   */
  within?: string;
}
