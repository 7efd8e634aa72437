import type { HeadText, TailText } from './bounded-text';
import { newMessageBuffer, newStackTraceBuffer } from './results-tally';

type Capture = 'message' | 'stack-trace' | 'reason-message' | undefined;

/**
 * The failure text of one NUnit test case (both NUnit 3 and 2.x): `failure > message`,
 * `failure > stack-trace`, and `reason > message` (why a test was not run). Only the
 * direct children of the test case count; assertion details further down are ignored.
 */
export class NUnitCaseDetails {
  private readonly message: HeadText = newMessageBuffer();
  private readonly reason: HeadText = newMessageBuffer();
  readonly stackTrace: TailText = newStackTraceBuffer();
  private parent: 'failure' | 'reason' | undefined;
  private capture: Capture;

  constructor(readonly caseDepth: number) {}

  open(name: string, depth: number): void {
    if (depth === this.caseDepth + 1) {
      this.parent = name === 'failure' || name === 'reason' ? name : undefined;
    } else if (depth === this.caseDepth + 2 && this.parent !== undefined) {
      this.capture = captureFor(this.parent, name);
    }
  }

  text(content: string): void {
    switch (this.capture) {
      case 'message':
        this.message.append(content);
        return;
      case 'stack-trace':
        this.stackTrace.append(content);
        return;
      case 'reason-message':
        this.reason.append(content);
        return;
      case undefined:
        return;
    }
  }

  close(depth: number): void {
    if (depth === this.caseDepth + 2) this.capture = undefined;
    if (depth === this.caseDepth + 1) this.parent = undefined;
  }

  /** The failure message, else the reason the test was not run. */
  bestMessage(): string | undefined {
    return this.message.value() || this.reason.value() || undefined;
  }
}

function captureFor(parent: 'failure' | 'reason', element: string): Capture {
  if (element === 'message') return parent === 'failure' ? 'message' : 'reason-message';
  if (element === 'stack-trace' && parent === 'failure') return 'stack-trace';
  return undefined;
}
