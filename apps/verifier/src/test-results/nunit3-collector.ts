import { parseCount, parseSeconds } from './attribute-values';
import { declaredTotalsWarnings } from './declared-totals';
import { NUnitCaseDetails } from './nunit-case-details';
import { joinQualifiedName } from './qualified-name';
import { isContainerSuiteType, type ResultsCollector } from './results-collector';
import { type CaseOutcome, ResultsTally } from './results-tally';
import type { TestResults, TestResultsError } from './test-results.types';

interface NUnit3Case {
  name: string;
  result: string | undefined;
  label: string | undefined;
  details: NUnitCaseDetails;
}

/**
 * NUnit 3 XML as written by the NUnit console and `dotnet test --logger nunit`: a
 * `test-run` root, `test-suite` elements nested to any depth, `test-case` elements with
 * `result="Passed|Failed|Skipped|Inconclusive|Warning"` and a `label` (Error, Cancelled,
 * Ignored, Explicit, Invalid…).
 */
export class NUnit3Collector implements ResultsCollector {
  private readonly tally: ResultsTally;
  private readonly suiteNames: (string | undefined)[] = [];
  private rootAttributes: Readonly<Record<string, string>> = {};
  private current: NUnit3Case | undefined;
  private warningCases = 0;
  private readonly unknownResults = new Set<string>();

  constructor(maxFailures: number) {
    this.tally = new ResultsTally(maxFailures);
  }

  open(name: string, attributes: Readonly<Record<string, string>>, depth: number): TestResultsError | undefined {
    if (depth === 1) this.rootAttributes = attributes;
    if (this.current) {
      this.current.details.open(name, depth);
    } else if (name === 'test-suite') {
      this.suiteNames.push(isContainerSuiteType(attributes['type']) ? undefined : attributes['name']);
    } else if (name === 'test-case') {
      this.current = {
        name: attributes['fullname'] || joinQualifiedName([...this.suiteNames, attributes['name']]),
        result: attributes['result'],
        label: attributes['label'],
        details: new NUnitCaseDetails(depth),
      };
    }
    return undefined;
  }

  text(content: string): void {
    this.current?.details.text(content);
  }

  close(name: string, depth: number): void {
    const testCase = this.current;
    if (testCase && depth === testCase.details.caseDepth) {
      this.tally.record(this.outcomeOf(testCase), {
        name: testCase.name,
        message: testCase.details.bestMessage(),
        stackTrace: testCase.details.stackTrace,
      });
      this.current = undefined;
    } else if (testCase) {
      testCase.details.close(depth);
    } else if (name === 'test-suite') {
      this.suiteNames.pop();
    }
  }

  finish(source: string): TestResults {
    const { totals } = this.tally;
    const root = this.rootAttributes;
    const warnings = declaredTotalsWarnings('test-run', [
      { attribute: 'total', declared: parseCount(root['total']), counted: totals.total, countedWhat: 'test cases' },
      {
        attribute: 'passed',
        declared: parseCount(root['passed']),
        counted: totals.passed - this.warningCases,
        countedWhat: 'passed test cases',
      },
      {
        attribute: 'failed',
        declared: parseCount(root['failed']),
        counted: totals.failed + totals.errored,
        countedWhat: 'failed or errored test cases',
      },
      { attribute: 'warnings', declared: parseCount(root['warnings']), counted: this.warningCases, countedWhat: 'test cases with result Warning' },
      { attribute: 'inconclusive', declared: parseCount(root['inconclusive']), counted: totals.inconclusive, countedWhat: 'inconclusive test cases' },
      { attribute: 'skipped', declared: parseCount(root['skipped']), counted: totals.skipped, countedWhat: 'skipped test cases' },
    ]);
    if (this.warningCases > 0) {
      warnings.push(`${this.warningCases} test case(s) ended with result "Warning"; they are counted as passed`);
    }
    for (const result of this.unknownResults) {
      warnings.push(`unknown test-case result "${result}"; such test cases are counted as inconclusive`);
    }
    const durationSeconds = parseSeconds(root['duration']);
    return {
      ok: true,
      format: 'nunit3',
      source,
      totals,
      failures: this.tally.failures,
      failuresOmitted: this.tally.failuresOmitted,
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
      warnings,
    };
  }

  private outcomeOf(testCase: NUnit3Case): CaseOutcome {
    switch (testCase.result) {
      case 'Passed':
        return 'passed';
      case 'Warning':
        this.warningCases += 1;
        return 'passed';
      case 'Failed':
        return testCase.label === 'Error' || testCase.label === 'Cancelled' ? 'errored' : 'failed';
      case 'Skipped':
        return 'skipped';
      case 'Inconclusive':
        return 'inconclusive';
      case undefined:
        this.unknownResults.add('(no result attribute)');
        return 'inconclusive';
      default:
        this.unknownResults.add(testCase.result);
        return 'inconclusive';
    }
  }
}
