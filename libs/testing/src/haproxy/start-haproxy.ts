import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HaproxyMasterClient,
  HaproxyRuntimeClient,
  saveServerState,
  type ProcessList,
} from '@conveyor/haproxy';
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
import { waitFor } from '../wait-for';

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
  /**
   * Master-worker mode (`-W -S <dir>/master.sock`): `reload()` is a graceful reload in which old
   * workers finish their sessions, and `master` reaches every worker. Default false.
   */
  readonly masterWorker?: boolean;
  /** The maintenance backend routes a request carrying this header to the server it names. */
  readonly maintenanceServerHeader?: string;
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
  /** `server-state-file` path when serverStateFile was asked for. */
  readonly serverStateFile: string | undefined;
  /** Master CLI socket and client in master-worker mode. */
  readonly masterSocketPath: string | undefined;
  readonly master: HaproxyMasterClient | undefined;
  /** Pid of the current HAProxy process (the master in master-worker mode; changes on restart). */
  pid(): number;
  /**
   * Graceful reload (master-worker mode only): with a server-state-file, `show servers state` is
   * saved into it first (what the shipped reload hook does), unless `saveState: false`; then
   * `reload` on the master CLI. Old workers keep their sessions until these end. Resolves with the
   * process list once the new worker answers on the stats socket.
   */
  reload(options?: { saveState?: boolean }): Promise<ProcessList>;
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
      masterWorker: options.masterWorker,
      maintenanceServerHeader: options.maintenanceServerHeader,
      timeouts: { connectMs: 1000, clientMs: 30_000, serverMs: 30_000, ...options.timeouts },
    };
    const configPath = join(directory, 'haproxy.cfg');
    await writeFile(configPath, renderHaproxyConfig(spec), 'utf8');
    const client = new HaproxyRuntimeClient({
      address: spec.adminSocketPath,
      timeoutMs: options.clientTimeoutMs ?? 2000,
    });
    const startTimeoutMs = options.startTimeoutMs ?? 10_000;
    const masterSocketPath = options.masterWorker ? join(directory, 'master.sock') : undefined;
    const master = masterSocketPath
      ? new HaproxyMasterClient({ address: masterSocketPath, timeoutMs: options.clientTimeoutMs ?? 2000 })
      : undefined;

    const launch = async (): Promise<HaproxyProcess> => {
      const started = spawnHaproxy(configPath, { masterSocketPath });
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
      serverStateFile: spec.serverStateFile,
      masterSocketPath,
      master,
      pid: () => current.pid,
      async reload(reloadOptions = {}): Promise<ProcessList> {
        if (stopped) throw new Error('HAProxy handle was stopped; start a new one');
        if (!master) throw new Error('reload() needs startHaproxy({ masterWorker: true })');
        if (spec.serverStateFile && reloadOptions.saveState !== false) {
          await saveServerState(client, spec.serverStateFile);
        }
        const processes = await master.reload({ timeoutMs: startTimeoutMs });
        const newPid = processes.workers[0]?.pid;
        await waitFor(
          `the new worker ${newPid} on the stats socket`,
          async () => {
            const info = await client.command('show info').catch(() => '');
            return info.includes(`Pid: ${newPid}`) ? true : undefined;
          },
          { timeoutMs: startTimeoutMs },
        );
        return processes;
      },
      async restart(): Promise<void> {
        if (stopped) throw new Error('HAProxy handle was stopped; start a new one');
        if (spec.serverStateFile) await saveServerState(client, spec.serverStateFile);
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
