import { UnknownBackendError, UnknownServerError } from '../errors/haproxy-errors';
import type { StatRow } from './show-stat-parser';

/** The server rows of a backend in a `show stat` snapshot. */
export function serverRows(snapshot: readonly StatRow[], backend: string): StatRow[] {
  return snapshot.filter((row) => row.type === 'server' && row.proxy === backend);
}

/** The row of one server, or undefined when the snapshot has no such backend/server. */
export function findServerRow(
  snapshot: readonly StatRow[],
  backend: string,
  server: string,
): StatRow | undefined {
  return snapshot.find((row) => row.type === 'server' && row.proxy === backend && row.name === server);
}

/**
 * Current sessions (`scur`) of a server in a snapshot, or undefined when the snapshot
 * does not contain it (the caller decides whether that is an unknown server).
 */
export function currentSessionsOf(
  snapshot: readonly StatRow[],
  backend: string,
  server: string,
): number | undefined {
  return findServerRow(snapshot, backend, server)?.currentSessions;
}

/**
 * The row of one server; raises UnknownBackendError when the snapshot has no such
 * backend and UnknownServerError when the backend lacks the server.
 */
export function requireServerRow(snapshot: readonly StatRow[], backend: string, server: string): StatRow {
  const row = findServerRow(snapshot, backend, server);
  if (row) return row;
  const command = 'show stat';
  if (!snapshot.some((candidate) => candidate.proxy === backend && candidate.type === 'backend')) {
    throw new UnknownBackendError(backend, command);
  }
  throw new UnknownServerError(backend, server, command);
}
