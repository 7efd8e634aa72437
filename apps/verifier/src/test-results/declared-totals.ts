/** One count the root element declares next to the one counted from the test cases. */
export interface DeclaredCount {
  /** The attribute name as written in the file, e.g. "tests" or "not-run". */
  attribute: string;
  declared: number | undefined;
  counted: number;
  /** What the counted number is, for the warning, e.g. "test cases". */
  countedWhat: string;
}

/** Warnings for every declared count that disagrees with what was counted. */
export function declaredTotalsWarnings(rootElement: string, counts: readonly DeclaredCount[]): string[] {
  return counts
    .filter((count) => count.declared !== undefined && count.declared !== count.counted)
    .map(
      (count) =>
        `<${rootElement}> declares ${count.attribute}="${count.declared}" but the file contains ${count.counted} ${count.countedWhat}; the counted figure is used`,
    );
}
