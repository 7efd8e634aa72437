import { parseCount, parseSeconds } from './attribute-values';
import type { TailText } from './bounded-text';
import { declaredTotalsWarnings } from './declared-totals';
import { joinQualifiedName } from './qualified-name';
import type { ResultsCollector } from './results-collector';
import { type CaseOutcome, newStackTraceBuffer, ResultsTally } from './results-tally';
import type { TestResults, TestResultsError } from './test-results.types';

interface JUnitCase {
  depth: number;
  name: string;
  outcome: CaseOutcome;
  message: string | undefined;
  exceptionType: string | undefined;
  body: TailText | undefined;
  capturingBody: boolean;
}

/** Outcome strength: a stronger child element decides the outcome (error > failure > skipped). */
const STRENGTH: Record<CaseOutcome, number> = {
  passed: 0,
  inconclusive: 0,
  skipped: 1,
  failed: 2,
  errored: 3,
};

/**
 * JUnit XML as written by Maven surefire, Gradle, jest-junit, pytest and others: a
 * `testsuites` root (or a bare `testsuite` root), suites nested to any depth, `testcase`
 * elements whose `failure`, `error` or `skipped` child gives the outcome.
 */
export class JUnitCollector implements ResultsCollector {
  private readonly tally: ResultsTally;
  private readonly suitePath: string[] = [];
  private rootName = '';
  private rootAttributes: Readonly<Record<string, string>> = {};
  private topLevelSuiteSeconds: number | undefined;
  private current: JUnitCase | undefined;

  constructor(maxFailures: number) {
    this.tally = new ResultsTally(maxFailures);
  }

  open(
    name: string,
    attributes: Readonly<Record<string, string>>,
    depth: number,
  ): TestResultsError | undefined {
    if (depth === 1) {
      this.rootName = name;
      this.rootAttributes = attributes;
    }
    if (name === 'testsuite') {
      this.suitePath.push(attributes['name'] ?? '');
      if (depth === 2) this.addTopLevelSeconds(parseSeconds(attributes['time']));
    } else if (name === 'testcase' && this.current === undefined) {
      this.current = {
        depth,
        name: joinQualifiedName([...this.suitePath, attributes['classname'], attributes['name']]),
        outcome: 'passed',
        message: undefined,
        exceptionType: undefined,
        body: undefined,
        capturingBody: false,
      };
    } else if (this.current && depth === this.current.depth + 1) {
      this.openCaseChild(this.current, name, attributes);
    }
    return undefined;
  }

  text(content: string): void {
    if (this.current?.capturingBody) this.current.body?.append(content);
  }

  close(name: string, depth: number): void {
    const testCase = this.current;
    if (testCase && depth === testCase.depth) {
      const message = testCase.message || testCase.body?.firstLine() || testCase.exceptionType;
      this.tally.record(testCase.outcome, { name: testCase.name, message, stackTrace: testCase.body });
      this.current = undefined;
    } else if (testCase && depth === testCase.depth + 1) {
      testCase.capturingBody = false;
    } else if (name === 'testsuite') {
      this.suitePath.pop();
    }
  }

  finish(source: string): TestResults {
    const { totals } = this.tally;
    const root = this.rootAttributes;
    const warnings = declaredTotalsWarnings(this.rootName, [
      {
        attribute: 'tests',
        declared: parseCount(root['tests']),
        counted: totals.total,
        countedWhat: 'test cases',
      },
      {
        attribute: 'failures',
        declared: parseCount(root['failures']),
        counted: totals.failed,
        countedWhat: 'failed test cases',
      },
      {
        attribute: 'errors',
        declared: parseCount(root['errors']),
        counted: totals.errored,
        countedWhat: 'errored test cases',
      },
      {
        attribute: 'skipped',
        declared: parseCount(root['skipped']),
        counted: totals.skipped,
        countedWhat: 'skipped test cases',
      },
    ]);
    const durationSeconds = parseSeconds(root['time']) ?? this.topLevelSuiteSeconds;
    return {
      ok: true,
      format: 'junit',
      source,
      totals,
      failures: this.tally.failures,
      failuresOmitted: this.tally.failuresOmitted,
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
      warnings,
    };
  }

  private openCaseChild(
    testCase: JUnitCase,
    name: string,
    attributes: Readonly<Record<string, string>>,
  ): void {
    const outcome = childOutcome(name);
    if (outcome === undefined || STRENGTH[outcome] <= STRENGTH[testCase.outcome]) return;
    testCase.outcome = outcome;
    if (outcome === 'skipped') return;
    testCase.message = attributes['message'];
    testCase.exceptionType = attributes['type'];
    testCase.body = newStackTraceBuffer();
    testCase.capturingBody = true;
  }

  private addTopLevelSeconds(seconds: number | undefined): void {
    if (seconds === undefined || this.rootName !== 'testsuites') return;
    this.topLevelSuiteSeconds = (this.topLevelSuiteSeconds ?? 0) + seconds;
  }
}

function childOutcome(element: string): CaseOutcome | undefined {
  switch (element) {
    case 'failure':
      return 'failed';
    case 'error':
      return 'errored';
    case 'skipped':
      return 'skipped';
    default:
      return undefined;
  }
}
