import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KeyedMutex } from '../domain/keyed-mutex';

/** First key of the pool manager's advisory locks (`pg_advisory_xact_lock(int, int)`): "pm". */
const POOL_STATE_LOCK_CLASS = 0x706d;

/**
 * A pool's state lock, across every replica: held briefly while an operation writes intents and
 * applies them, and while the reconciler compares and corrects, so no replica sees another half-done
 * (a reconciler that read the old intent must not undo a drain another replica just applied). It
 * is a transaction-scoped advisory lock on PostgreSQL, released at commit; the task's intent reads
 * and writes go through the transaction's `manager`. Never held while waiting for sessions or health.
 * Owns no data source: the caller passes the manager the transaction is opened on.
 */
@Injectable()
export class PoolStateLock {
  /** One waiter per pool in this process, so waiting replicas-in-process do not hold connections. */
  private readonly local = new KeyedMutex();

  /**
   * Runs `task` in a transaction opened on `manager` (the data source's, `dataSource.manager`) that
   * holds the pool's lock until it commits. SQL: a PostgreSQL advisory lock.
   */
  run<T>(manager: EntityManager, pool: string, task: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.local.run(pool, () =>
      manager.transaction(async (locked) => {
        await locked.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [POOL_STATE_LOCK_CLASS, pool]);
        return task(locked);
      }),
    );
  }
}
