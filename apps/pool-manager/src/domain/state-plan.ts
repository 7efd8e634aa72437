import type { PoolConfig } from '../config/pools-config.schema';
import type { AdminState, BackendRole, ServerIntent, StateCommand } from './pool-state.types';

export type StateChange = Partial<Record<BackendRole, AdminState>>;

/**
 * The Runtime API commands that put `servers` into `change` on every instance of the pool,
 * instance by instance (in configuration order), online backend before maintenance backend.
 */
export function planStateChange(
  pool: PoolConfig,
  servers: readonly string[],
  change: StateChange,
): StateCommand[] {
  const commands: StateCommand[] = [];
  for (const instance of pool.instances) {
    for (const role of ['online', 'maintenance'] as const) {
      const state = change[role];
      if (state === undefined) continue;
      const backend = role === 'online' ? pool.onlineBackend : pool.maintenanceBackend;
      for (const server of servers) commands.push({ instance, role, backend, server, state });
    }
  }
  return commands;
}

/**
 * Undoes `applied` (the commands that succeeded) by putting each touched server back to its
 * prior state, in reverse order, skipping the instance that failed (it cannot be reached; the
 * reconciler aligns it with the restored intent when it comes back).
 */
export function planCompensation(
  applied: readonly StateCommand[],
  prior: ReadonlyMap<string, ServerIntent>,
  failedInstance?: string,
): StateCommand[] {
  const seen = new Set<string>();
  const compensation: StateCommand[] = [];
  for (const command of [...applied].reverse()) {
    if (command.instance === failedInstance) continue;
    const key = `${command.instance}/${command.backend}/${command.server}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const before = prior.get(command.server);
    if (!before) continue;
    compensation.push({ ...command, state: before[command.role] });
  }
  return compensation;
}

/** The intended states after a change: the prior intents with `change` applied to `servers`. */
export function intentsAfter(
  servers: readonly string[],
  prior: ReadonlyMap<string, ServerIntent>,
  change: StateChange,
): ServerIntent[] {
  return servers.map((server) => {
    const before = prior.get(server) ?? { server, online: 'ready', maintenance: 'ready' };
    return {
      server,
      online: change.online ?? before.online,
      maintenance: change.maintenance ?? before.maintenance,
    };
  });
}

/**
 * The state each server is in before an operation: its recorded intent, or (never touched yet)
 * what the first instance shows.
 */
export function priorIntents(
  servers: readonly string[],
  intents: readonly ServerIntent[],
  live: {
    online: (server: string) => AdminState | undefined;
    maintenance: (server: string) => AdminState | undefined;
  },
): Map<string, ServerIntent> {
  const recorded = new Map(intents.map((intent) => [intent.server, intent]));
  return new Map(
    servers.map((server) => [
      server,
      recorded.get(server) ?? {
        server,
        online: live.online(server) ?? 'ready',
        maintenance: live.maintenance(server) ?? 'ready',
      },
    ]),
  );
}
