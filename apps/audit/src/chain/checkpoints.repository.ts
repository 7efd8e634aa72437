import { Injectable } from '@nestjs/common';
import type { SignedCheckpoint } from '@conveyor/audit-chain';
import type { EntityManager } from 'typeorm';

interface CheckpointRow {
  seq: string;
  head_hash: string;
  time: string;
  signature: string;
  key_id: string;
}

function toCheckpoint(row: CheckpointRow): SignedCheckpoint {
  return {
    seq: Number(row.seq),
    headHash: row.head_hash,
    time: row.time,
    signature: row.signature,
    keyId: row.key_id,
  };
}

/**
 * Signed checkpoints and export manifests (append-only tables of the audit schema); callers pass a
 * manager of the writer role's data source (`AUDIT_WRITER`). SQL throughout: the audit schema maps
 * no entities, and the writer role may only SELECT and INSERT.
 */
@Injectable()
export class CheckpointsRepository {
  /**
   * Stores a checkpoint; false when one for that seq exists already (another instance signed it).
   * SQL: ON CONFLICT DO NOTHING RETURNING.
   */
  async insert(manager: EntityManager, checkpoint: SignedCheckpoint): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO audit.checkpoints (seq, head_hash, time, signature, key_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (seq) DO NOTHING RETURNING seq`,
      [checkpoint.seq, checkpoint.headHash, checkpoint.time, checkpoint.signature, checkpoint.keyId],
    )) as unknown[];
    return rows.length === 1;
  }

  async latest(manager: EntityManager): Promise<SignedCheckpoint | null> {
    return this.latestWithin(manager, 1, Number.MAX_SAFE_INTEGER);
  }

  /** The newest checkpoint whose seq lies within [fromSeq, toSeq], or null. */
  async latestWithin(
    manager: EntityManager,
    fromSeq: number,
    toSeq: number,
  ): Promise<SignedCheckpoint | null> {
    const [row] = (await manager.query(
      `SELECT seq, head_hash, time, signature, key_id FROM audit.checkpoints WHERE seq BETWEEN $1 AND $2 ORDER BY seq DESC LIMIT 1`,
      [fromSeq, toSeq],
    )) as CheckpointRow[];
    return row === undefined ? null : toCheckpoint(row);
  }

  /** Checkpoints up to `toSeq`, in seq order. */
  async upTo(manager: EntityManager, toSeq: number): Promise<SignedCheckpoint[]> {
    const rows = (await manager.query(
      `SELECT seq, head_hash, time, signature, key_id FROM audit.checkpoints WHERE seq <= $1 ORDER BY seq`,
      [toSeq],
    )) as CheckpointRow[];
    return rows.map(toCheckpoint);
  }

  async saveManifest(manager: EntityManager, id: string, manifestJson: string): Promise<void> {
    await manager.query(`INSERT INTO audit.export_manifests (id, manifest) VALUES ($1, $2)`, [
      id,
      manifestJson,
    ]);
  }

  async findManifest(manager: EntityManager, id: string): Promise<string | null> {
    const rows = (await manager.query(`SELECT manifest FROM audit.export_manifests WHERE id = $1`, [id])) as {
      manifest: string;
    }[];
    return rows[0]?.manifest ?? null;
  }
}
