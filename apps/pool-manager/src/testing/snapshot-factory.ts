import type { AdminState, InstanceSnapshot, LiveServer } from '../domain/pool-state.types';

type ServerSketch = Partial<LiveServer> & { admin?: AdminState };

/** A snapshot for unit tests: server → overrides, per backend. */
export function snapshotOf(
  instance: string,
  online: Record<string, ServerSketch>,
  maintenance: Record<string, ServerSketch> = Object.fromEntries(
    Object.keys(online).map((server) => [server, {}]),
  ),
): InstanceSnapshot {
  const servers = (sketches: Record<string, ServerSketch>): LiveServer[] =>
    Object.entries(sketches).map(([server, sketch]) => {
      const admin = sketch.admin ?? 'ready';
      const status = sketch.status ?? (admin === 'maint' ? 'MAINT' : admin === 'drain' ? 'DRAIN' : 'UP');
      return {
        server,
        admin,
        status,
        statusText: sketch.statusText ?? status,
        healthyUp: status === 'UP',
        sessions: 0,
        weight: 100,
        ...sketch,
      };
    });
  return {
    instance,
    backends: {
      online: { role: 'online', backend: 'be_online', present: true, servers: servers(online) },
      maintenance: {
        role: 'maintenance',
        backend: 'be_maintenance',
        present: true,
        servers: servers(maintenance),
      },
    },
  };
}
