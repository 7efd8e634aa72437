import { DataSource } from 'typeorm';
import { errorMessage } from '@conveyor/errors';
import { Inject, Injectable } from '@nestjs/common';
import type { PoolConfig } from '../config/pools-config.schema';
import { POOL_MANAGER_SETTINGS, type PoolManagerSettings } from '../config/pool-manager-env';
import {
  BACKEND_ROLES,
  type AdminState,
  type BackendRole,
  type ServerIntent,
} from '../domain/pool-state.types';
import { HaproxyFleet } from '../haproxy/haproxy-fleet.service';
import { ServerIntentRepository } from '../persistence/server-intent.repository';

export interface ServerView {
  server: string;
  /** Administrative state on this instance: ready, drain or maint. */
  state: AdminState;
  /** HAProxy's status text, e.g. "UP", "UP 1/2", "MAINT", "DOWN". */
  status: string;
  sessions: number;
  weight: number | null;
  /** What the pool manager wants; null for a server it never changed. */
  intended: AdminState | null;
  drift: boolean;
}

export interface BackendView {
  role: BackendRole;
  backend: string;
  present: boolean;
  servers: ServerView[];
}

export type InstanceView =
  | { instance: string; reachable: true; backends: BackendView[] }
  | { instance: string; reachable: false; error: string };

export interface PoolView {
  pool: string;
  onlineBackend: string;
  maintenanceBackend: string;
  instances: InstanceView[];
}

/** The live view of every pool: each instance, backend and server next to its intended state. */
@Injectable()
export class PoolsViewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly fleet: HaproxyFleet,
    private readonly intents: ServerIntentRepository,
    @Inject(POOL_MANAGER_SETTINGS) private readonly settings: PoolManagerSettings,
  ) {}

  async pools(): Promise<PoolView[]> {
    return Promise.all(this.settings.pools.pools.map((pool) => this.pool(pool)));
  }

  private async pool(pool: PoolConfig): Promise<PoolView> {
    const intents = new Map(
      (await this.intents.forPool(this.dataSource.manager, pool.name)).map((intent) => [
        intent.server,
        intent,
      ]),
    );
    const instances = await Promise.all(
      pool.instances.map((instance) => this.instance(pool, instance, intents)),
    );
    return {
      pool: pool.name,
      onlineBackend: pool.onlineBackend,
      maintenanceBackend: pool.maintenanceBackend,
      instances,
    };
  }

  private async instance(
    pool: PoolConfig,
    instance: string,
    intents: ReadonlyMap<string, ServerIntent>,
  ): Promise<InstanceView> {
    try {
      const snapshot = await this.fleet.observe(pool, instance);
      const backends = BACKEND_ROLES.map((role): BackendView => {
        const backend = snapshot.backends[role];
        return {
          role,
          backend: backend.backend,
          present: backend.present,
          servers: backend.servers.map((live) => {
            const intended = intents.get(live.server)?.[role] ?? null;
            return {
              server: live.server,
              state: live.admin,
              status: live.statusText,
              sessions: live.sessions,
              weight: live.weight ?? null,
              intended,
              drift: intended !== null && intended !== live.admin,
            };
          }),
        };
      });
      return { instance, reachable: true, backends };
    } catch (error) {
      return { instance, reachable: false, error: errorMessage(error) };
    }
  }
}
