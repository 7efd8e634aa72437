import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ServerIntent } from '../domain/pool-state.types';
import { ServerIntentEntity } from './server-intent.entity';

/** The intended server states; the only code that touches `server_intent`. */
@Injectable()
export class ServerIntentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async forPool(pool: string, manager: EntityManager = this.dataSource.manager): Promise<ServerIntent[]> {
    const rows = await manager
      .getRepository(ServerIntentEntity)
      .find({ where: { pool }, order: { server: 'ASC' } });
    return rows.map((row) => ({
      server: row.server,
      online: row.onlineState,
      maintenance: row.maintenanceState,
    }));
  }

  async save(
    pool: string,
    intents: readonly ServerIntent[],
    operationId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (intents.length === 0) return;
    await manager.getRepository(ServerIntentEntity).upsert(
      intents.map((intent) => ({
        pool,
        server: intent.server,
        onlineState: intent.online,
        maintenanceState: intent.maintenance,
        operationId,
        updatedAt: new Date(),
      })),
      ['pool', 'server'],
    );
  }
}
