import {
  newTestApiToken,
  seedApiToken,
  startService,
  testServiceEnv,
  type RunningService,
} from '@conveyor/service-kit';
import { serviceLoginUrl, type HaproxyHandle } from '@conveyor/testing';
import type { PoolManagerEnv, PoolManagerSettings } from '../config/pool-manager-env';
import type { PoolsConfig } from '../config/pools-config.schema';
import type { PoolView } from '../http/pools-view.service';
import { poolManagerService } from '../pool-manager.boot';

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

/** The token of the person each started pool manager knows (an operator with the deployer role). */
const readerTokens = new WeakMap<RunningService, string>();

/** The secret of the token `fetchPools` sends to this pool manager. */
export function readerToken(service: RunningService): string {
  const token = readerTokens.get(service);
  if (token === undefined) throw new Error('not a pool manager started by startPoolManager');
  return token;
}

/** Boots the pool manager in-process on a test vhost and database, knowing one reader's token. */
export async function startPoolManager(
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
      operationLeaseMs: 3_000,
      haproxyTimeoutMs: 1000,
      statePollMs: 50,
      ...overrides,
    },
  };
  const service = await startService(poolManagerService, env);
  const reader = newTestApiToken('operator@example.com', 'deployer');
  await seedApiToken(service.app, reader);
  readerTokens.set(service, reader.secret);
  return service;
}

/** GET /pools of a running pool manager. */
export async function fetchPools(service: RunningService): Promise<PoolView[]> {
  const response = await fetch(`http://127.0.0.1:${service.port}/pools`, {
    headers: { authorization: `Bearer ${readerToken(service)}` },
  });
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
