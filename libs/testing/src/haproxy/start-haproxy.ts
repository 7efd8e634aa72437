import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HaproxyRuntimeClient } from '@conveyor/haproxy';
import { findFreePorts } from '../http/free-port';
import {
  DEFAULT_HEALTH_CHECK,
  renderHaproxyConfig,
  type HaproxyConfigSpec,
  type HaproxyServerSpec,
  type HealthCheckSpec,
} from './haproxy-config';
import { spawnHaproxy, terminateHaproxy, type HaproxyProcess } from './haproxy-process';
import { waitUntilReady } from './haproxy-readiness';

export interface StartHaproxyOptions {
  /** Servers listed in both backends (same names, same order). */
  readonly servers: readonly HaproxyServerSpec[];
  readonly onlineBackend?: string;
  readonly maintenanceBackend?: string;
  readonly healthCheck?: Partial<HealthCheckSpec>;
  /** Also expose an admin socket on 127.0.0.1:<free port>. */
  readonly tcpAdminSocket?: boolean;
  /** Also expose a `level user` unix socket (for permission tests). */
  readonly userSocket?: boolean;
  /** Keep runtime states across restart() through a server-state-file. Default false. */
  readonly serverStateFile?: boolean;
  readonly timeouts?: Partial<HaproxyConfigSpec['timeouts']>;
  /** Time allowed to become ready. Default 10000 ms. */
  readonly startTimeoutMs?: number;
  /** Runtime API timeout of `client`. Default 2000 ms. */
  readonly clientTimeoutMs?: number;
}

/** A running HAProxy for tests and tools. */
export interface HaproxyHandle {
  readonly onlinePort: number;
  readonly maintenancePort: number;
  readonly onlineBackend: string;
  readonly maintenanceBackend: string;
  readonly onlineUrl: string;
  readonly maintenanceUrl: string;
  readonly socketPath: string;
  readonly userSocketPath: string | undefined;
  /** "127.0.0.1:<port>" when tcpAdminSocket was asked for. */
  readonly tcpSocketAddress: string | undefined;
  readonly configPath: string;
  readonly directory: string;
  /** Runtime API client on the admin unix socket. */
  readonly client: HaproxyRuntimeClient;
  /** Pid of the current HAProxy process (changes on restart). */
  pid(): number;
  /** Same config, new process: runtime states are lost unless serverStateFile is on. */
  restart(): Promise<void>;
  /** SIGTERM then SIGKILL, and removes the temp directory. Idempotent. */
  stop(): Promise<void>;
}

/** Every handle not yet stopped, for `stopAllHaproxy()`. */
const openHandles = new Set<HaproxyHandle>();

/** Stops every HAProxy started by `startHaproxy` in this process (use in afterAll). */
export async function stopAllHaproxy(): Promise<void> {
  await Promise.all([...openHandles].map((handle) => handle.stop()));
}

/** Generates a config in a temp dir, starts HAProxy and waits until it serves. */
export async function startHaproxy(options: StartHaproxyOptions): Promise<HaproxyHandle> {
  const directory = await mkdtemp(join(tmpdir(), 'conveyor-haproxy-'));
  try {
    const [onlinePort, maintenancePort, tcpPort] = await findFreePorts(options.tcpAdminSocket ? 3 : 2);
    const spec: HaproxyConfigSpec = {
      onlineFrontend: { name: 'fe_online', port: onlinePort },
      maintenanceFrontend: { name: 'fe_maintenance', port: maintenancePort },
      onlineBackend: options.onlineBackend ?? 'be_online',
      maintenanceBackend: options.maintenanceBackend ?? 'be_maintenance',
      servers: options.servers,
      healthCheck: { ...DEFAULT_HEALTH_CHECK, ...options.healthCheck },
      adminSocketPath: join(directory, 'admin.sock'),
      tcpAdminSocketPort: options.tcpAdminSocket ? tcpPort : undefined,
      userSocketPath: options.userSocket ? join(directory, 'user.sock') : undefined,
      serverStateFile: options.serverStateFile ? join(directory, 'server-state') : undefined,
      timeouts: { connectMs: 1000, clientMs: 30_000, serverMs: 30_000, ...options.timeouts },
    };
    const configPath = join(directory, 'haproxy.cfg');
    await writeFile(configPath, renderHaproxyConfig(spec), 'utf8');
    const client = new HaproxyRuntimeClient({
      address: spec.adminSocketPath,
      timeoutMs: options.clientTimeoutMs ?? 2000,
    });
    const startTimeoutMs = options.startTimeoutMs ?? 10_000;

    const launch = async (): Promise<HaproxyProcess> => {
      const started = spawnHaproxy(configPath);
      try {
        await waitUntilReady(started, [onlinePort, maintenancePort], client, startTimeoutMs);
      } catch (error) {
        await terminateHaproxy(started, 500);
        throw error;
      }
      return started;
    };

    let current: HaproxyProcess = await launch();
    let stopped = false;
    const handle: HaproxyHandle = {
      onlinePort,
      maintenancePort,
      onlineBackend: spec.onlineBackend,
      maintenanceBackend: spec.maintenanceBackend,
      onlineUrl: `http://127.0.0.1:${onlinePort}`,
      maintenanceUrl: `http://127.0.0.1:${maintenancePort}`,
      socketPath: spec.adminSocketPath,
      userSocketPath: spec.userSocketPath,
      tcpSocketAddress: spec.tcpAdminSocketPort ? `127.0.0.1:${spec.tcpAdminSocketPort}` : undefined,
      configPath,
      directory,
      client,
      pid: () => current.pid,
      async restart(): Promise<void> {
        if (stopped) throw new Error('HAProxy handle was stopped; start a new one');
        if (spec.serverStateFile) {
          await writeFile(spec.serverStateFile, await client.command('show servers state'), 'utf8');
        }
        await terminateHaproxy(current);
        current = await launch();
      },
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        openHandles.delete(handle);
        await terminateHaproxy(current);
        await rm(directory, { recursive: true, force: true });
      },
    };
    openHandles.add(handle);
    return handle;
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
