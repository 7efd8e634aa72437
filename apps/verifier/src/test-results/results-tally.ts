import {
  HeadText,
  MESSAGE_MAX_CHARS,
  STACK_TAIL_MAX_CHARS,
  STACK_TAIL_MAX_LINES,
  TailText,
} from './bounded-text';
import type { TestFailure, TestTotals } from './test-results.types';

export type CaseOutcome = 'passed' | 'failed' | 'errored' | 'skipped' | 'inconclusive';

export interface CaseFailureDetail {
  name: string;
  message: string | undefined;
  stackTrace: TailText | undefined;
}

/** Counts test cases by outcome and keeps the first `maxFailures` failures. */
export class ResultsTally {
  readonly totals: TestTotals = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, inconclusive: 0 };
  readonly failures: TestFailure[] = [];
  failuresOmitted = 0;

  constructor(private readonly maxFailures: number) {}

  record(outcome: CaseOutcome, detail: CaseFailureDetail): void {
    this.totals.total += 1;
    this.totals[outcome] += 1;
    if (outcome !== 'failed' && outcome !== 'errored') return;
    if (this.failures.length >= this.maxFailures) {
      this.failuresOmitted += 1;
      return;
    }
    const message =
      detail.message?.trim() || detail.stackTrace?.firstLine() || '(no message in the result file)';
    const capped = new HeadText(MESSAGE_MAX_CHARS);
    capped.append(message);
    const stackTraceTail = detail.stackTrace?.lastLines(STACK_TAIL_MAX_LINES);
    this.failures.push({
      name: detail.name,
      outcome,
      message: capped.value(),
      ...(stackTraceTail === undefined ? {} : { stackTraceTail }),
    });
  }
}

/** A fresh buffer for a stack trace or failure body. */
export function newStackTraceBuffer(): TailText {
  return new TailText(STACK_TAIL_MAX_CHARS);
}

/** A fresh buffer for a failure message. */
export function newMessageBuffer(): HeadText {
  return new HeadText(MESSAGE_MAX_CHARS);
}
