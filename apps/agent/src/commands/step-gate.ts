/**
 * Steps change the server, so they run one at a time, in arrival order; a stepId that is running
 * (or waiting) is known, so a duplicate arriving meanwhile is not run twice.
 */
export class StepGate {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly active = new Set<string>();

  isActive(stepId: string): boolean {
    return this.active.has(stepId);
  }

  /** Claims `stepId` now (synchronously); runs `work` after the steps before it. */
  run<T>(stepId: string, work: () => Promise<T>): Promise<T> {
    this.active.add(stepId);
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result.finally(() => this.active.delete(stepId));
  }

  /** Resolves once every claimed step has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
