import {
  newTestApiToken,
  seedApiToken,
  startService,
  testServiceEnv,
  type RunningService,
} from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  serviceLoginUrl,
  startBackendServers,
  startHaproxy,
  waitForServersUp,
  type BackendFleet,
  type HaproxyHandle,
  type HealthCheckSpec,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import type { PoolManagerEnv, PoolManagerSettings } from '../config/pool-manager-env';
import type { PoolsConfig } from '../config/pools-config.schema';
import type { PoolView } from '../http/pools-view.service';
import { poolManagerService } from '../pool-manager.boot';
import { EventRecorder } from './event-recorder';

/**
 * One pool `web` over the given HAProxy instances; an instance in master-worker mode or with a
 * server-state-file gives the pool manager its master socket or that file too.
 */
export function poolsConfigFor(
  instances: readonly { id: string; haproxy: HaproxyHandle }[],
  pool = 'web',
): PoolsConfig {
  const [first] = instances;
  return {
    instances: instances.map(({ id, haproxy }) => ({
      id,
      socket: haproxy.socketPath,
      // Room for a loaded 2-core test machine (production keeps its own, shorter, setting).
      timeoutMs: 5_000,
      ...(haproxy.masterSocketPath === undefined ? {} : { masterSocket: haproxy.masterSocketPath }),
      ...(haproxy.serverStateFile === undefined ? {} : { serverStateFile: haproxy.serverStateFile }),
    })),
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

/**
 * Boots the pool manager in-process on a test vhost and database, knowing one reader's token.
 * Its `close()` may be called again (a test stops a pool manager its test bed closes later).
 */
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
  const started = await startService(poolManagerService, env);
  let closing: Promise<void> | undefined;
  const service: RunningService = { ...started, close: () => (closing ??= started.close()) };
  const reader = newTestApiToken('operator@example.com', 'deployer');
  try {
    await seedApiToken(service.app, reader);
  } catch (error) {
    await service.close();
    throw error;
  }
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

export interface PoolTestBedOptions {
  /** Backend servers s1…sN, each in both backends of every HAProxy instance. Default 3. */
  readonly servers?: number;
  /** HAProxy instances lb-a, lb-b, … carrying the one pool `web`. Default 1. */
  readonly instances?: number;
  /** HAProxy health check timing, over the default `{ interMs: 400, rise: 2, fall: 3 }`. */
  readonly healthCheck?: Partial<HealthCheckSpec>;
  /** Master-worker HAProxy (graceful reloads); its master socket goes into the pools config. */
  readonly masterWorker?: boolean;
  /** HAProxy with a server-state-file; the file goes into the pools config. */
  readonly serverStateFile?: boolean;
  /** Start a pool manager with the bed (`poolManager`). Default true; more with `startPoolManager()`. */
  readonly poolManager?: boolean;
}

/**
 * Everything a pool manager integration test runs against: a fresh vhost and database, backend
 * servers behind one or more real HAProxy instances (all servers UP), the orchestrator played by an
 * `EventRecorder`, and a pool manager over one pool `web`. Made before `beforeAll` so that
 * `afterAll(() => bed.close())` stops whatever `start()` had got to, even when it threw or timed out.
 */
export class PoolTestBed {
  private parts: {
    vhost?: TestVhost;
    database?: TestDatabase;
    fleet?: BackendFleet;
    haproxy: HaproxyHandle[];
    orchestrator?: EventRecorder;
    pools?: PoolsConfig;
    poolManagers: RunningService[];
  } = { haproxy: [], poolManagers: [] };

  constructor(private readonly options: PoolTestBedOptions = {}) {}

  get vhost(): TestVhost {
    return this.started(this.parts.vhost);
  }
  get database(): TestDatabase {
    return this.started(this.parts.database);
  }
  get fleet(): BackendFleet {
    return this.started(this.parts.fleet);
  }
  /** The HAProxy instances, lb-a first. */
  get haproxy(): readonly HaproxyHandle[] {
    this.started(this.parts.pools); // only once every instance is up
    return this.parts.haproxy;
  }
  /** Plays the orchestrator: publishes pool requests, records every pool.* event. */
  get orchestrator(): EventRecorder {
    return this.started(this.parts.orchestrator);
  }
  /** One pool `web` over every HAProxy instance. */
  get pools(): PoolsConfig {
    return this.started(this.parts.pools);
  }
  /** The pool manager started with the bed. */
  get poolManager(): RunningService {
    if (this.options.poolManager === false) throw new Error('this pool test bed starts no pool manager');
    return this.started(this.parts.poolManagers[0]);
  }

  async start(): Promise<this> {
    const { servers = 3, instances = 1, masterWorker, serverStateFile } = this.options;
    const [vhost, database] = await Promise.allSettled([createTestVhost(), createTestDatabase()]);
    if (vhost.status === 'fulfilled') this.parts.vhost = vhost.value;
    if (database.status === 'fulfilled') this.parts.database = database.value;
    for (const result of [vhost, database]) if (result.status === 'rejected') throw result.reason;

    const fleet = (this.parts.fleet = await startBackendServers(servers));
    const ids = fleet.servers.map((server) => server.id);
    for (let index = 0; index < instances; index += 1) {
      this.parts.haproxy.push(
        await startHaproxy({
          servers: fleet.servers.map((server) => ({ name: server.id, port: server.port })),
          // Tolerant checks: on a busy 2-core machine a 200 ms check can time out and mark a server DOWN.
          healthCheck: { interMs: 400, rise: 2, fall: 3, ...this.options.healthCheck },
          masterWorker,
          serverStateFile,
        }),
      );
    }
    await Promise.all(
      this.parts.haproxy.map((haproxy) => waitForServersUp(haproxy.client, haproxy.onlineBackend, ids)),
    );
    this.parts.pools = poolsConfigFor(
      this.parts.haproxy.map((haproxy, index) => ({ id: `lb-${String.fromCharCode(97 + index)}`, haproxy })),
    );
    this.parts.orchestrator = await EventRecorder.start(this.vhost);
    if (this.options.poolManager !== false) await this.startPoolManager();
    return this;
  }

  /** Another pool manager on the bed's vhost, database and pools; `close()` stops it too. */
  async startPoolManager(
    overrides: Partial<Omit<PoolManagerSettings, 'pools'>> = {},
  ): Promise<RunningService> {
    const service = await startPoolManager(
      this.vhost.urlFor('pool-manager'),
      this.database.url,
      this.pools,
      overrides,
    );
    this.parts.poolManagers.push(service);
    return service;
  }

  /**
   * Stops what was started, last first: held requests released, pool managers, the recorder, HAProxy,
   * the backend servers, then the vhost and database. Goes on past a failing step, then throws the first.
   */
  async close(): Promise<void> {
    const { vhost, database, fleet, haproxy, orchestrator, poolManagers } = this.parts;
    this.parts = { haproxy: [], poolManagers: [] };
    const failures: unknown[] = [];
    const step = (stop: () => Promise<unknown>) => stop().catch((error: unknown) => failures.push(error));
    for (const server of fleet?.servers ?? []) server.releaseHeld();
    await step(() => Promise.all(poolManagers.map((service) => service.close())));
    await step(async () => orchestrator?.close());
    await step(() => Promise.all(haproxy.map((handle) => handle.stop())));
    await step(async () => fleet?.close());
    await step(() => Promise.all([vhost?.delete(), database?.drop()]));
    if (failures.length > 0) throw failures[0];
  }

  private started<T>(part: T | undefined): T {
    if (part === undefined) throw new Error('the pool test bed is not started (or already closed)');
    return part;
  }
}
