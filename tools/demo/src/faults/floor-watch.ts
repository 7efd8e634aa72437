import type { HaproxyHandle } from '@conveyor/testing';

export interface FloorFigures {
  samples: number;
  /** Samples the stats socket did not answer (during a reload the new worker takes a moment). */
  unanswered: number;
  /** The fewest servers UP in the customer-facing backend in any sample. */
  fewestUp: number;
  /** Samples below the floor, with the servers that were UP then. */
  below: string[];
}

/**
 * Samples HAProxy's customer-facing backend every `everyMs` (100 ms by default) and records every
 * moment fewer than `floor` servers were UP there: what customers could reach, seen from HAProxy
 * itself rather than from what Conveyor believes.
 */
export class FloorWatch {
  private readonly figures: FloorFigures = { samples: 0, unanswered: 0, fewestUp: Infinity, below: [] };
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly haproxy: HaproxyHandle,
    private readonly floor: number,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.sample();
  }

  async stop(): Promise<FloorFigures> {
    this.running = false;
    await this.loop;
    return { ...this.figures, below: [...this.figures.below] };
  }

  private async sample(): Promise<void> {
    while (this.running) {
      const rows = await this.haproxy.client.showStat().catch(() => undefined);
      if (rows === undefined) {
        this.figures.unanswered += 1;
      } else {
        const up = rows
          .filter((row) => row.type === 'server' && row.proxy === this.haproxy.onlineBackend)
          .filter((row) => row.status.status === 'UP')
          .map((row) => row.name);
        this.figures.samples += 1;
        this.figures.fewestUp = Math.min(this.figures.fewestUp, up.length);
        if (up.length < this.floor && this.figures.below.length < 20) {
          this.figures.below.push(`${new Date().toISOString()} UP: ${up.join(', ') || 'none'}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, this.everyMs));
    }
  }
}
