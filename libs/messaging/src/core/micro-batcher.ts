import type { BatchHandlerFn, BatchItem, EventHandlerFn, HandlingOutcome } from './event-consumer';

interface PendingItem extends BatchItem {
  resolve(outcome: HandlingOutcome): void;
  reject(error: unknown): void;
}

/**
 * Collects the events that arrive in the same turn of the event loop (up to `maxBatch`) and
 * hands them to the batch handler together.
 */
export class MicroBatcher {
  private pending: PendingItem[] = [];
  private scheduled = false;

  constructor(
    private readonly handleBatch: BatchHandlerFn,
    private readonly handleOne: EventHandlerFn,
    private readonly maxBatch: number,
  ) {}

  submit(item: BatchItem): Promise<HandlingOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ ...item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    if (this.pending.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    void this.run(batch);
  }

  private async run(batch: PendingItem[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const outcomes = await this.handleBatch(batch);
        batch.forEach((item, i) => item.resolve(outcomes[i]));
        return;
      } catch {
        // One of them failed: handle each alone so the failure is attributed to its own event.
      }
    }
    for (const item of batch) {
      try {
        item.resolve(await this.handleOne(item.envelope, item.delivery));
      } catch (error) {
        item.reject(error);
      }
    }
  }
}
