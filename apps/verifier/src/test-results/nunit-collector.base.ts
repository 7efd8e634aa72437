import { NUnitCaseDetails } from './nunit-case-details';
import { isContainerSuiteType, type ResultsCollector } from './results-collector';
import { type CaseOutcome, ResultsTally } from './results-tally';
import type { TestResults, TestResultsError } from './test-results.types';

export interface NUnitCase {
  name: string;
  details: NUnitCaseDetails;
}

type Attributes = Readonly<Record<string, string>>;

/**
 * What NUnit 2 and NUnit 3 files share: nested `test-suite` elements whose names qualify the
 * `test-case` elements inside them, and failure details (message, stack trace) below a case.
 * A format says how it reads a case and judges its outcome, and what its totals look like.
 */
export abstract class NUnitCollectorBase<C extends NUnitCase> implements ResultsCollector {
  protected readonly tally: ResultsTally;
  protected readonly suiteNames: (string | undefined)[] = [];
  protected rootAttributes: Attributes = {};
  protected readonly unknownResults = new Set<string>();
  private current: C | undefined;

  constructor(maxFailures: number) {
    this.tally = new ResultsTally(maxFailures);
  }

  open(name: string, attributes: Attributes, depth: number): TestResultsError | undefined {
    if (depth === 1) this.rootAttributes = attributes;
    if (this.current) {
      this.current.details.open(name, depth);
    } else if (name === 'test-suite') {
      this.suiteNames.push(isContainerSuiteType(attributes['type']) ? undefined : attributes['name']);
      this.onSuite(attributes, depth);
    } else if (name === 'test-case') {
      this.current = this.readCase(attributes, new NUnitCaseDetails(depth));
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

  abstract finish(source: string): TestResults;

  /** A `test-suite` opened (its name is already on `suiteNames`). */
  protected onSuite(_attributes: Attributes, _depth: number): void {
    // Most formats need nothing here.
  }

  protected abstract readCase(attributes: Attributes, details: NUnitCaseDetails): C;

  protected abstract outcomeOf(testCase: C): CaseOutcome;
}
