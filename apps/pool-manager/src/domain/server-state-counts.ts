import type { BackendRole, InstanceSnapshot } from './pool-state.types';

export interface ServerStateCount {
  readonly backend: string;
  readonly state: string;
  readonly count: number;
}

/**
 * Servers per backend and state for the `conveyor_pool_servers` gauge: a server counts once,
 * under its status when every reachable instance agrees, else under "inconsistent".
 */
export function countServerStates(snapshots: readonly InstanceSnapshot[]): ServerStateCount[] {
  const counts = new Map<string, ServerStateCount>();
  for (const role of ['online', 'maintenance'] as BackendRole[]) {
    const first = snapshots[0];
    if (!first) continue;
    const backend = first.backends[role].backend;
    const servers = new Set(
      snapshots.flatMap((snapshot) => snapshot.backends[role].servers.map((server) => server.server)),
    );
    for (const server of servers) {
      const states = new Set(
        snapshots.map(
          (snapshot) =>
            snapshot.backends[role].servers.find((live) => live.server === server)?.status.toLowerCase() ??
            'missing',
        ),
      );
      const state = states.size === 1 ? [...states][0] : 'inconsistent';
      const key = `${backend}|${state}`;
      counts.set(key, { backend, state, count: (counts.get(key)?.count ?? 0) + 1 });
    }
  }
  return [...counts.values()];
}
