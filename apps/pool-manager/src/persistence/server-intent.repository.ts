import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ServerIntent } from '../domain/pool-state.types';
import { ServerIntentEntity } from './server-intent.entity';

/** The intended server states; the only code that touches `server_intent`. */
@Injectable()
export class ServerIntentRepository {
  async forPool(manager: EntityManager, pool: string): Promise<ServerIntent[]> {
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
    manager: EntityManager,
    pool: string,
    intents: readonly ServerIntent[],
    operationId: string | null,
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
