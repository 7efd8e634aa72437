import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import { serviceLoginUrl, type HaproxyHandle } from '@conveyor/testing';
import type { PoolManagerEnv, PoolManagerSettings } from '../config/pool-manager-env';
import type { PoolsConfig } from '../config/pools-config.schema';
import type { PoolView } from '../http/pools-view.service';
import { poolManagerService } from '../pool-manager.definition';

/** One pool `web` over the given HAProxy instances (ids lb-a, lb-b, … unless named). */
export function poolsConfigFor(
  instances: readonly { id: string; haproxy: HaproxyHandle }[],
  pool = 'web',
): PoolsConfig {
  const [first] = instances;
  return {
    instances: instances.map(({ id, haproxy }) => ({ id, socket: haproxy.socketPath })),
    pools: [
      {
        name: pool,
        instances: instances.map(({ id }) => id),
        onlineBackend: first.haproxy.onlineBackend,
        maintenanceBackend: first.haproxy.maintenanceBackend,
      },
    ],
  };
}

/** Boots the pool manager in-process on a test vhost and database. */
export function startPoolManager(
  amqpUrl: string,
  databaseUrl: string,
  pools: PoolsConfig,
  overrides: Partial<Omit<PoolManagerSettings, 'pools'>> = {},
): Promise<RunningService> {
  const env: PoolManagerEnv = {
    ...testServiceEnv(amqpUrl, serviceLoginUrl(databaseUrl, 'pool-manager')),
    settings: {
      pools,
      reconcileIntervalMs: 1000,
      operationPollMs: 50,
      haproxyTimeoutMs: 1000,
      statePollMs: 50,
      ...overrides,
    },
  };
  return startService(poolManagerService, env);
}

/** GET /pools of a running pool manager. */
export async function fetchPools(service: RunningService): Promise<PoolView[]> {
  const response = await fetch(`http://127.0.0.1:${service.port}/pools`);
  if (!response.ok) throw new Error(`GET /pools answered ${response.status}`);
  return ((await response.json()) as { pools: PoolView[] }).pools;
}

/** One server's row in the view: its state, status, intent and drift on an instance and backend. */
export function serverIn(
  pools: readonly PoolView[],
  instance: string,
  role: 'online' | 'maintenance',
  server: string,
) {
  for (const pool of pools) {
    const found = pool.instances.find((candidate) => candidate.instance === instance);
    if (!found?.reachable) continue;
    const row = found.backends
      .find((backend) => backend.role === role)
      ?.servers.find((candidate) => candidate.server === server);
    if (row) return row;
  }
  throw new Error(`no ${role} server ${server} on ${instance} in the pool view`);
}
