import type { TestResults } from './test-results.types';
import type { XmlElementVisitor } from './xml-element-walker';

/** Builds the results of one format from the element events of its document. */
export interface ResultsCollector extends XmlElementVisitor {
  /** Called once the whole document has been read without error. */
  finish(source: string): TestResults;
}

/** Suite types whose names are file paths or project names, not part of a test's qualified name. */
export function isContainerSuiteType(type: string | undefined): boolean {
  return type === 'Assembly' || type === 'Project';
}
