import { sessionsAcrossWorkers, type WorkerStat } from '@conveyor/haproxy';
import type { BackendRole, InstanceSnapshot } from './pool-state.types';

/**
 * The snapshot read from the current HAProxy process, with the sessions still held by old
 * workers (soft-stopping after a reload) added to each server's count: a drain is finished only
 * when no process of the instance holds a session to the server any more.
 */
export function withOldWorkerSessions(
  snapshot: InstanceSnapshot,
  oldWorkers: readonly WorkerStat[],
): InstanceSnapshot {
  if (oldWorkers.length === 0) return snapshot;
  const add = (role: BackendRole) => {
    const backend = snapshot.backends[role];
    return {
      ...backend,
      servers: backend.servers.map((server) => ({
        ...server,
        sessions: server.sessions + sessionsAcrossWorkers(oldWorkers, backend.backend, server.server),
      })),
    };
  };
  return { ...snapshot, backends: { online: add('online'), maintenance: add('maintenance') } };
}
