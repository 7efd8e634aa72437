import { Injectable } from '@nestjs/common';
import { counter, gauge, histogram } from '@conveyor/observability';
import type { ServerStateCount } from '../domain/server-state-counts';

/** The pool manager's Prometheus metrics. */
@Injectable()
export class PoolManagerMetrics {
  private readonly servers = gauge({
    name: 'conveyor_pool_servers',
    help: 'Servers per pool, backend and live state (a state HAProxy instances disagree on is "inconsistent")',
    labelNames: ['pool', 'backend', 'state'],
  });
  private readonly drainSeconds = histogram({
    name: 'conveyor_pool_drain_seconds',
    help: 'Time a successful drain took, from request to maintenance',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
  });
  private readonly operations = counter({
    name: 'conveyor_pool_operations_total',
    help: 'Drain and enable operations by outcome (succeeded, refused, failed)',
    labelNames: ['operation', 'outcome'],
  });
  private readonly drift = counter({
    name: 'conveyor_pool_drift_total',
    help: 'Servers found in another state than intended on an HAProxy instance',
  });
  private readonly lastCounts = new Map<string, Set<string>>();

  recordServerStates(pool: string, counts: readonly ServerStateCount[]): void {
    const current = new Set<string>();
    for (const { backend, state, count } of counts) {
      this.servers.set({ pool, backend, state }, count);
      current.add(`${backend}\u0000${state}`);
    }
    // States no longer seen go to zero rather than keep their last value.
    for (const key of this.lastCounts.get(pool) ?? []) {
      if (current.has(key)) continue;
      const [backend, state] = key.split('\u0000');
      this.servers.set({ pool, backend, state }, 0);
    }
    this.lastCounts.set(pool, current);
  }

  recordOperation(operation: 'drain' | 'enable', outcome: 'succeeded' | 'refused' | 'failed'): void {
    this.operations.inc({ operation, outcome });
  }

  recordDrain(seconds: number): void {
    this.drainSeconds.observe(seconds);
  }

  recordDrift(count: number): void {
    if (count > 0) this.drift.inc(count);
  }
}
