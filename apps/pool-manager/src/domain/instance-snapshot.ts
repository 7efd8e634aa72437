import type { ServerStateRow, StatRow } from '@conveyor/haproxy';
import type { PoolConfig } from '../config/pools-config.schema';
import type {
  AdminState,
  BackendRole,
  BackendSnapshot,
  InstanceSnapshot,
  LiveServer,
} from './pool-state.types';

/** Joins `show stat` (status, sessions) and `show servers state` (admin flags) for a pool's backends. */
export function buildInstanceSnapshot(
  instance: string,
  pool: Pick<PoolConfig, 'onlineBackend' | 'maintenanceBackend'>,
  stat: readonly StatRow[],
  states: readonly ServerStateRow[],
): InstanceSnapshot {
  const backend = (role: BackendRole, name: string): BackendSnapshot => {
    const present = stat.some((row) => row.type === 'backend' && row.proxy === name);
    const adminByServer = new Map(
      states.filter((row) => row.backend === name).map((row) => [row.server, row.adminState]),
    );
    const servers = stat
      .filter((row) => row.type === 'server' && row.proxy === name)
      .map(
        (row): LiveServer => ({
          server: row.name,
          admin: adminByServer.get(row.name) ?? adminFromStatus(row),
          status: row.status.status,
          statusText: row.status.raw,
          healthyUp:
            (row.status.status === 'UP' && row.status.transition === undefined) ||
            row.status.status === 'NO_CHECK',
          sessions: row.currentSessions,
          weight: row.weight,
        }),
      );
    return { role, backend: name, present, servers };
  };
  return {
    instance,
    backends: {
      online: backend('online', pool.onlineBackend),
      maintenance: backend('maintenance', pool.maintenanceBackend),
    },
  };
}

function adminFromStatus(row: StatRow): AdminState {
  if (row.status.status === 'MAINT') return 'maint';
  if (row.status.status === 'DRAIN') return 'drain';
  return 'ready';
}

export function findLiveServer(
  snapshot: InstanceSnapshot,
  role: BackendRole,
  server: string,
): LiveServer | undefined {
  return snapshot.backends[role].servers.find((candidate) => candidate.server === server);
}

export interface SnapshotGap {
  readonly reason: 'unknown_server' | 'haproxy_error';
  readonly instance: string;
  readonly detail: string;
}

/** The first thing that makes these servers unusable on this instance: a missing backend or server. */
export function missingFromSnapshot(
  snapshot: InstanceSnapshot,
  servers: readonly string[],
): SnapshotGap | undefined {
  for (const role of ['online', 'maintenance'] as const) {
    const backend = snapshot.backends[role];
    if (!backend.present) {
      return {
        reason: 'haproxy_error',
        instance: snapshot.instance,
        detail: `instance ${snapshot.instance} has no ${role} backend "${backend.backend}"`,
      };
    }
    const unknown = servers.filter((server) => !findLiveServer(snapshot, role, server));
    if (unknown.length > 0) {
      const noun = unknown.length > 1 ? 'servers' : 'server';
      return {
        reason: 'unknown_server',
        instance: snapshot.instance,
        detail: `unknown ${noun} ${unknown.join(', ')}: not in backend "${backend.backend}" on instance ${snapshot.instance}`,
      };
    }
  }
  return undefined;
}
