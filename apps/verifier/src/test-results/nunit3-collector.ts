import { parseCount, parseSeconds } from './attribute-values';
import { declaredTotalsWarnings } from './declared-totals';
import { NUnitCollectorBase, type NUnitCase } from './nunit-collector.base';
import type { NUnitCaseDetails } from './nunit-case-details';
import { joinQualifiedName } from './qualified-name';
import type { CaseOutcome } from './results-tally';
import type { TestResults } from './test-results.types';

interface NUnit3Case extends NUnitCase {
  result: string | undefined;
  label: string | undefined;
}

/**
 * NUnit 3 XML as written by the NUnit console and `dotnet test --logger nunit`: a
 * `test-run` root, `test-suite` elements nested to any depth, `test-case` elements with
 * `result="Passed|Failed|Skipped|Inconclusive|Warning"` and a `label` (Error, Cancelled,
 * Ignored, Explicit, Invalid…).
 */
export class NUnit3Collector extends NUnitCollectorBase<NUnit3Case> {
  private warningCases = 0;

  finish(source: string): TestResults {
    const { totals } = this.tally;
    const root = this.rootAttributes;
    const warnings = declaredTotalsWarnings('test-run', [
      {
        attribute: 'total',
        declared: parseCount(root['total']),
        counted: totals.total,
        countedWhat: 'test cases',
      },
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
      {
        attribute: 'warnings',
        declared: parseCount(root['warnings']),
        counted: this.warningCases,
        countedWhat: 'test cases with result Warning',
      },
      {
        attribute: 'inconclusive',
        declared: parseCount(root['inconclusive']),
        counted: totals.inconclusive,
        countedWhat: 'inconclusive test cases',
      },
      {
        attribute: 'skipped',
        declared: parseCount(root['skipped']),
        counted: totals.skipped,
        countedWhat: 'skipped test cases',
      },
    ]);
    if (this.warningCases > 0) {
      warnings.push(
        `${this.warningCases} test case(s) ended with result "Warning"; they are counted as passed`,
      );
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

  protected readCase(attributes: Readonly<Record<string, string>>, details: NUnitCaseDetails): NUnit3Case {
    return {
      name: attributes['fullname'] || joinQualifiedName([...this.suiteNames, attributes['name']]),
      result: attributes['result'],
      label: attributes['label'],
      details,
    };
  }

  protected outcomeOf(testCase: NUnit3Case): CaseOutcome {
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
