import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KnownAgent } from '../domain/start-deployment';
import { AgentCommandEntity } from './agent-command.entity';
import { AgentEntity } from './agent.entity';
import { ORCHESTRATOR_SCHEMA as S } from './orchestrator-tables.migration';

export interface HeartbeatRecord {
  nodeId: string;
  facts: Record<string, string>;
  currentVersion: string | null;
  intervalMs: number | null;
}

/** An agent as the orchestrator last heard it. */
export interface AgentRow {
  nodeId: string;
  facts: Record<string, string>;
  currentVersion: string | null;
  lastHeartbeatAt: Date;
  intervalMs: number | null;
}

/** Agents' liveness (from heartbeats) and the commands sent to them. */
@Injectable()
export class AgentRepository {
  /** Records that the agent is alive now (the orchestrator's clock, not the agent's). */
  async recordHeartbeat(manager: EntityManager, heartbeat: HeartbeatRecord): Promise<void> {
    await manager.query(
      `INSERT INTO "${S}".agents (node_id, facts, current_version, last_heartbeat_at, interval_ms, updated_at)
       VALUES ($1, $2, $3, now(), $4, now())
       ON CONFLICT (node_id) DO UPDATE SET facts = EXCLUDED.facts, current_version = EXCLUDED.current_version,
         last_heartbeat_at = GREATEST("${S}".agents.last_heartbeat_at, EXCLUDED.last_heartbeat_at),
         interval_ms = COALESCE(EXCLUDED.interval_ms, "${S}".agents.interval_ms), updated_at = now()`,
      [heartbeat.nodeId, JSON.stringify(heartbeat.facts), heartbeat.currentVersion, heartbeat.intervalMs],
    );
  }

  /** Every agent heard from, as it was last heard. */
  async listAll(manager: EntityManager): Promise<AgentRow[]> {
    const rows = await manager.find(AgentEntity, { order: { nodeId: 'ASC' } });
    return rows.map(({ nodeId, facts, currentVersion, lastHeartbeatAt, intervalMs }) => ({
      nodeId,
      facts,
      currentVersion,
      lastHeartbeatAt,
      intervalMs,
    }));
  }

  async knownAgents(manager: EntityManager): Promise<KnownAgent[]> {
    const rows: { node_id: string; facts: Record<string, string>; current_version: string | null }[] =
      await manager.query(`SELECT node_id, facts, current_version FROM "${S}".agents ORDER BY node_id`);
    return rows.map((row) => ({
      nodeId: row.node_id,
      facts: row.facts,
      currentVersion: row.current_version,
    }));
  }

  /** Last heartbeat of each node, in ms since the epoch. */
  async lastHeartbeats(manager: EntityManager, nodeIds: readonly string[]): Promise<Record<string, number>> {
    if (nodeIds.length === 0) return {};
    const rows: { node_id: string; at: string }[] = await manager.query(
      `SELECT node_id, (extract(epoch from last_heartbeat_at) * 1000)::bigint::text AS at FROM "${S}".agents WHERE node_id = ANY($1)`,
      [[...nodeIds]],
    );
    return Object.fromEntries(rows.map((row) => [row.node_id, Number(row.at)]));
  }

  /**
   * The most recent heartbeat recorded from any agent but `nodeIds`, in ms since the epoch; null
   * when there is no other agent. SQL for the aggregate on the database's clock.
   */
  async freshestHeartbeatExcept(manager: EntityManager, nodeIds: readonly string[]): Promise<number | null> {
    const [row]: { at: string | null }[] = await manager.query(
      `SELECT (extract(epoch from max(last_heartbeat_at)) * 1000)::bigint::text AS at FROM "${S}".agents WHERE NOT (node_id = ANY($1))`,
      [[...nodeIds]],
    );
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  async recordCommand(manager: EntityManager, command: Omit<AgentCommandEntity, 'issuedAt'>): Promise<void> {
    await manager.insert(AgentCommandEntity, command);
  }

  async commandById(manager: EntityManager, commandId: string): Promise<AgentCommandEntity | null> {
    return manager.findOne(AgentCommandEntity, { where: { commandId } });
  }
}
