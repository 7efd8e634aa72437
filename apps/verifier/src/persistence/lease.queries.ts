import type { EntityManager } from 'typeorm';

/** A table of work items that runners claim under a time-limited lease. */
export interface LeasedTable {
  table: 'verifier.verifications' | 'verifier.bakes';
  idColumn: 'verification_id' | 'bake_id';
}

/**
 * Claims up to `limit` unfinished items nobody holds (never leased, released, or whose
 * runner died and let the lease expire); skips rows another instance is claiming.
 */
export async function claimUnleased(
  manager: EntityManager,
  where: LeasedTable,
  owner: string,
  limit: number,
  leaseMs: number,
): Promise<string[]> {
  const result: unknown = await manager.query(
    `UPDATE ${where.table} SET lease_owner = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
     WHERE ${where.idColumn} IN (
       SELECT ${where.idColumn} FROM ${where.table}
       WHERE status IN ('pending', 'running') AND (lease_until IS NULL OR lease_until < now())
       ORDER BY received_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING ${where.idColumn} AS id`,
    [owner, leaseMs / 1000, limit],
  );
  return updatedRows<{ id: string }>(result).map((row) => row.id);
}

/** Extends the lease; false when this runner no longer holds it. */
export async function renewLease(
  manager: EntityManager,
  where: LeasedTable,
  id: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const result: unknown = await manager.query(
    `UPDATE ${where.table} SET lease_until = now() + make_interval(secs => $3)
     WHERE ${where.idColumn} = $1 AND lease_owner = $2 AND status IN ('pending', 'running')`,
    [id, owner, leaseMs / 1000],
  );
  return Array.isArray(result) && result[1] === 1;
}

/** Gives an unfinished item back (on shutdown) so another runner takes it up at once. */
export async function releaseLease(
  manager: EntityManager,
  where: LeasedTable,
  id: string,
  owner: string,
): Promise<void> {
  await manager.query(
    `UPDATE ${where.table} SET lease_owner = NULL, lease_until = NULL
     WHERE ${where.idColumn} = $1 AND lease_owner = $2 AND status IN ('pending', 'running')`,
    [id, owner],
  );
}

/** Locks the row if this runner still holds it unfinished (in the transaction that finishes it). */
export async function lockIfHeld(
  manager: EntityManager,
  where: LeasedTable,
  id: string,
  owner: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM ${where.table} WHERE ${where.idColumn} = $1 AND lease_owner = $2 AND status IN ('pending', 'running') FOR UPDATE`,
    [id, owner],
  );
  return rows.length === 1;
}

/** TypeORM's postgres driver answers an UPDATE with `[rows, affectedCount]`. */
function updatedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  throw new Error('unexpected answer to an UPDATE … RETURNING from the database driver');
}
