import { JUnitCollector } from './junit-collector';
import { NUnit2Collector } from './nunit2-collector';
import { NUnit3Collector } from './nunit3-collector';
import type { ResultsCollector } from './results-collector';
import type { TestResults, TestResultsError } from './test-results.types';
import type { XmlElementVisitor } from './xml-element-walker';

/** Root elements the parser accepts, and the collector for each. */
const COLLECTORS: Readonly<Record<string, (maxFailures: number) => ResultsCollector>> = {
  testsuites: (maxFailures) => new JUnitCollector(maxFailures),
  testsuite: (maxFailures) => new JUnitCollector(maxFailures),
  'test-run': (maxFailures) => new NUnit3Collector(maxFailures),
  'test-results': (maxFailures) => new NUnit2Collector(maxFailures),
};

export const KNOWN_ROOT_ELEMENTS = Object.keys(COLLECTORS);

/**
 * Chooses the format from the root element and hands every later event to its collector.
 * An unknown root stops the walk at once, before the rest of the file is read.
 */
export class FormatDispatcher implements XmlElementVisitor {
  private collector: ResultsCollector | undefined;

  constructor(
    private readonly source: string,
    private readonly maxFailures: number,
  ) {}

  open(
    name: string,
    attributes: Readonly<Record<string, string>>,
    depth: number,
  ): TestResultsError | undefined {
    if (this.collector === undefined) {
      const create = Object.hasOwn(COLLECTORS, name) ? COLLECTORS[name] : undefined;
      if (create === undefined) return this.unknownRoot(name);
      this.collector = create(this.maxFailures);
    }
    return this.collector.open(name, attributes, depth);
  }

  text(content: string): void {
    this.collector?.text(content);
  }

  close(name: string, depth: number): void {
    this.collector?.close(name, depth);
  }

  /** The results, once the walk ended without error (a document always has a root). */
  finish(): TestResults | undefined {
    return this.collector?.finish(this.source);
  }

  private unknownRoot(name: string): TestResultsError {
    return {
      ok: false,
      kind: 'unknown-root',
      source: this.source,
      rootElement: name,
      message: `${this.source} has root element <${name}>, which is not a known test result format (expected one of ${KNOWN_ROOT_ELEMENTS.map((root) => `<${root}>`).join(', ')})`,
    };
  }
}
