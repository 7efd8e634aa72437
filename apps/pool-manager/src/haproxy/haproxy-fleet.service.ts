import { Inject, Injectable } from '@nestjs/common';
import { HaproxyRuntimeClient, HaproxyTimeoutError, HaproxyUnreachableError } from '@conveyor/haproxy';
import type { PoolConfig } from '../config/pools-config.schema';
import { buildInstanceSnapshot } from '../domain/instance-snapshot';
import type { InstanceSnapshot, StateCommand } from '../domain/pool-state.types';
import { POOL_MANAGER_SETTINGS } from '../pool-manager.tokens';
import type { PoolManagerSettings } from '../config/pool-manager-env';

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

/** The Runtime API clients of every configured HAProxy instance. */
@Injectable()
export class HaproxyFleet {
  private readonly clients = new Map<string, HaproxyRuntimeClient>();

  constructor(@Inject(POOL_MANAGER_SETTINGS) settings: PoolManagerSettings) {
    for (const instance of settings.pools.instances) {
      this.clients.set(
        instance.id,
        new HaproxyRuntimeClient({
          address: instance.socket,
          timeoutMs: instance.timeoutMs ?? settings.haproxyTimeoutMs,
        }),
      );
    }
  }

  /** The pool's two backends on one instance; throws InstanceFailure. */
  async observe(pool: PoolConfig, instance: string): Promise<InstanceSnapshot> {
    const client = this.client(instance);
    try {
      const [stat, states] = [await client.showStat(), await client.showServersState()];
      return buildInstanceSnapshot(instance, pool, stat, states);
    } catch (error) {
      throw toInstanceFailure(instance, error);
    }
  }

  /** Every instance of the pool, in configuration order; the first failing one throws. */
  async observeAll(pool: PoolConfig): Promise<InstanceSnapshot[]> {
    const snapshots: InstanceSnapshot[] = [];
    for (const instance of pool.instances) snapshots.push(await this.observe(pool, instance));
    return snapshots;
  }

  async apply(command: StateCommand): Promise<void> {
    try {
      await this.client(command.instance).setServerState(command.backend, command.server, command.state);
    } catch (error) {
      throw toInstanceFailure(command.instance, error);
    }
  }

  async shutdownSessions(instance: string, backend: string, server: string): Promise<void> {
    try {
      await this.client(instance).shutdownSessions(backend, server);
    } catch (error) {
      throw toInstanceFailure(instance, error);
    }
  }

  private client(instance: string): HaproxyRuntimeClient {
    const client = this.clients.get(instance);
    if (!client) throw new InstanceFailure(instance, 'haproxy_error', 'is not configured');
    return client;
  }
}

function toInstanceFailure(instance: string, error: unknown): InstanceFailure {
  if (error instanceof InstanceFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unreachable = error instanceof HaproxyUnreachableError || error instanceof HaproxyTimeoutError;
  return new InstanceFailure(instance, unreachable ? 'instance_unreachable' : 'haproxy_error', message);
}
