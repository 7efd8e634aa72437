import { errorMessage } from '@conveyor/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import {
  HaproxyMasterClient,
  HaproxyParseError,
  HaproxyRuntimeClient,
  HaproxyTimeoutError,
  HaproxyUnreachableError,
  saveServerState,
} from '@conveyor/haproxy';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import type { PoolConfig } from '../config/pools-config.schema';
import { withOldWorkerSessions } from '../domain/every-process-sessions';
import { buildInstanceSnapshot } from '../domain/instance-snapshot';
import type { InstanceSnapshot, StateCommand } from '../domain/pool-state.types';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from '../config/pool-manager-env';

/** Failure of one instance during an operation: which one, and what HAProxy (or the socket) said. */
export class InstanceFailure extends Error {
  override readonly name = 'InstanceFailure';
  constructor(
    readonly instance: string,
    readonly reason: 'instance_unreachable' | 'haproxy_error',
    detail: string,
  ) {
    super(`instance ${instance}: ${detail}`);
  }
}

export interface ObserveOptions {
  /**
   * Count the sessions of every HAProxy process of the instance (old workers finishing after a
   * reload included) through its master CLI, when one is configured. Drains ask for it.
   */
  readonly everyProcess?: boolean;
}

/** The Runtime API clients of every configured HAProxy instance (and their master CLIs). */
@Injectable()
export class HaproxyFleet {
  private readonly clients = new Map<string, HaproxyRuntimeClient>();
  private readonly masters = new Map<string, HaproxyMasterClient>();
  private readonly stateFiles = new Map<string, string>();
  /** One state-file write at a time per instance, each with a fresh dump: the last one wins. */
  private readonly stateWrites = new Map<string, Promise<void>>();

  constructor(
    @Inject(POOL_MANAGER_SETTINGS) settings: PoolManagerSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    for (const instance of settings.pools.instances) {
      const timeoutMs = instance.timeoutMs ?? settings.haproxyTimeoutMs;
      this.clients.set(instance.id, new HaproxyRuntimeClient({ address: instance.socket, timeoutMs }));
      if (instance.masterSocket)
        this.masters.set(instance.id, new HaproxyMasterClient({ address: instance.masterSocket, timeoutMs }));
      if (instance.serverStateFile) this.stateFiles.set(instance.id, instance.serverStateFile);
    }
  }

  /** The pool's two backends on one instance; throws InstanceFailure. */
  async observe(pool: PoolConfig, instance: string, options: ObserveOptions = {}): Promise<InstanceSnapshot> {
    const client = this.client(instance);
    try {
      const [stat, states] = [await client.showStat(), await client.showServersState()];
      const snapshot = buildInstanceSnapshot(instance, pool, stat, states);
      const master = this.masters.get(instance);
      if (!options.everyProcess || !master) return snapshot;
      // Read after the current process: a reload in between counts a process twice, never zero times.
      return withOldWorkerSessions(snapshot, await throughReload(() => master.statOfOldWorkers()));
    } catch (error) {
      throw toInstanceFailure(instance, error);
    }
  }

  /** Every instance of the pool, in configuration order; the first failing one throws. */
  async observeAll(pool: PoolConfig, options: ObserveOptions = {}): Promise<InstanceSnapshot[]> {
    const snapshots: InstanceSnapshot[] = [];
    for (const instance of pool.instances) snapshots.push(await this.observe(pool, instance, options));
    return snapshots;
  }

  /** Sets one server's state, then rewrites the instance's server-state-file (when configured). */
  async apply(command: StateCommand): Promise<void> {
    try {
      await this.client(command.instance).setServerState(command.backend, command.server, command.state);
    } catch (error) {
      throw toInstanceFailure(command.instance, error);
    }
    await this.saveState(command.instance);
  }

  /** Closes the server's sessions on the current process and on every old worker still running. */
  async shutdownSessions(instance: string, backend: string, server: string): Promise<void> {
    try {
      await this.client(instance).shutdownSessions(backend, server);
      const master = this.masters.get(instance);
      if (master) await throughReload(() => master.shutdownSessionsOnOldWorkers(backend, server));
    } catch (error) {
      throw toInstanceFailure(instance, error);
    }
  }

  /**
   * Writes `show servers state` to the instance's server-state-file (temporary file + rename), so
   * that a reload finds the state just set. A failure is logged, not raised: the change itself is
   * made, the reload hook dumps the state again before reloading, and the reconciler is the backstop.
   */
  async saveState(instance: string): Promise<void> {
    const path = this.stateFiles.get(instance);
    if (!path) return;
    const previous = this.stateWrites.get(instance) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        await saveServerState(this.client(instance), path);
      } catch (error) {
        this.logger.error(
          { instance, serverStateFile: path, error: errorMessage(error) },
          'could not rewrite the server-state-file; a reload now would restore older states',
        );
      }
    });
    this.stateWrites.set(instance, next);
    await next;
  }

  private client(instance: string): HaproxyRuntimeClient {
    const client = this.clients.get(instance);
    if (!client) throw new InstanceFailure(instance, 'haproxy_error', 'is not configured');
    return client;
  }
}

/** How long the master CLI may be away: during a reload the master re-executes itself. */
const MASTER_RELOAD_GRACE_MS = 3000;

/**
 * Retries a master CLI read refused, cut, or answered with nothing while the master re-executes
 * (a reload): a busy master may accept the connection and close it with an empty `show proc`.
 */
async function throughReload<T>(read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + MASTER_RELOAD_GRACE_MS;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      const transient = error instanceof HaproxyUnreachableError || error instanceof HaproxyParseError;
      if (!transient || Date.now() >= deadline) throw error;
      await sleep(50);
    }
  }
}

function toInstanceFailure(instance: string, error: unknown): InstanceFailure {
  if (error instanceof InstanceFailure) return error;
  const message = errorMessage(error);
  const unreachable = error instanceof HaproxyUnreachableError || error instanceof HaproxyTimeoutError;
  return new InstanceFailure(instance, unreachable ? 'instance_unreachable' : 'haproxy_error', message);
}
