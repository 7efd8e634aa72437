import { parseCount, parseSeconds } from './attribute-values';
import { declaredTotalsWarnings } from './declared-totals';
import { NUnitCollectorBase, type NUnitCase } from './nunit-collector.base';
import type { NUnitCaseDetails } from './nunit-case-details';
import { joinQualifiedName } from './qualified-name';
import type { CaseOutcome } from './results-tally';
import type { TestResults } from './test-results.types';

interface NUnit2Case extends NUnitCase {
  executed: string | undefined;
  result: string | undefined;
  success: string | undefined;
}

/**
 * NUnit 2.x XML (2.2 to 2.6): a `test-results` root with total/errors/failures/not-run,
 * `test-suite` > `results` nested to any depth, `test-case` with `executed`, `result`
 * (2.5+) and `success`. Test case names are already fully qualified in real files.
 */
export class NUnit2Collector extends NUnitCollectorBase<NUnit2Case> {
  private topLevelSuiteSeconds: number | undefined;
  private executedCases = 0;
  private readonly declaredStyleCounts = { errors: 0, failures: 0, notRun: 0 };

  finish(source: string): TestResults {
    const root = this.rootAttributes;
    const counted = this.declaredStyleCounts;
    const warnings = declaredTotalsWarnings('test-results', [
      {
        attribute: 'total',
        declared: parseCount(root['total']),
        counted: this.executedCases,
        countedWhat: 'executed test cases',
      },
      {
        attribute: 'errors',
        declared: parseCount(root['errors']),
        counted: counted.errors,
        countedWhat: 'test cases with result Error',
      },
      {
        attribute: 'failures',
        declared: parseCount(root['failures']),
        counted: counted.failures,
        countedWhat: 'test cases with result Failure',
      },
      {
        attribute: 'not-run',
        declared: parseCount(root['not-run']),
        counted: counted.notRun,
        countedWhat: 'test cases not executed',
      },
    ]);
    for (const result of this.unknownResults) {
      warnings.push(
        `unknown test-case result "${result}"; such test cases are judged by their executed/success attributes`,
      );
    }
    return {
      ok: true,
      format: 'nunit2',
      source,
      totals: this.tally.totals,
      failures: this.tally.failures,
      failuresOmitted: this.tally.failuresOmitted,
      ...(this.topLevelSuiteSeconds === undefined ? {} : { durationSeconds: this.topLevelSuiteSeconds }),
      warnings,
    };
  }

  protected override onSuite(attributes: Readonly<Record<string, string>>, depth: number): void {
    if (depth === 2) this.addTopLevelSeconds(parseSeconds(attributes['time']));
  }

  protected readCase(attributes: Readonly<Record<string, string>>, details: NUnitCaseDetails): NUnit2Case {
    const caseName = attributes['name'] ?? '';
    return {
      name: caseName.includes('.') ? caseName : joinQualifiedName([...this.suiteNames, caseName]),
      executed: attributes['executed'],
      result: attributes['result'],
      success: attributes['success'],
      details,
    };
  }

  protected outcomeOf(testCase: NUnit2Case): CaseOutcome {
    const executed = testCase.executed !== 'False';
    if (executed) this.executedCases += 1;
    else this.declaredStyleCounts.notRun += 1;
    switch (testCase.result) {
      case 'Success':
        return 'passed';
      case 'Failure':
        this.declaredStyleCounts.failures += 1;
        return 'failed';
      case 'Error':
      case 'Cancelled':
        this.declaredStyleCounts.errors += 1;
        return 'errored';
      case 'NotRunnable':
        return 'errored';
      case 'Ignored':
      case 'Skipped':
        return 'skipped';
      case 'Inconclusive':
        return 'inconclusive';
      case undefined:
        return this.outcomeFromFlags(executed, testCase.success);
      default:
        this.unknownResults.add(testCase.result);
        return this.outcomeFromFlags(executed, testCase.success);
    }
  }

  /** NUnit 2.2–2.4 files carry no `result`: judge by `executed` and `success`. */
  private outcomeFromFlags(executed: boolean, success: string | undefined): CaseOutcome {
    if (!executed) return 'skipped';
    if (success === 'True') return 'passed';
    if (success !== 'False') return 'inconclusive';
    this.declaredStyleCounts.failures += 1;
    return 'failed';
  }

  private addTopLevelSeconds(seconds: number | undefined): void {
    if (seconds !== undefined) this.topLevelSuiteSeconds = (this.topLevelSuiteSeconds ?? 0) + seconds;
  }
}
