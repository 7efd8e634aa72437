import { Injectable } from '@nestjs/common';
import type { AuditCheckpointCreated } from '@conveyor/contracts';
import type { EntityManager } from 'typeorm';

/** How many of the newest checkpoints the pipeline keeps. */
export const AUDIT_CHECKPOINTS_KEPT = 1_000;

export type KeepOutcome = 'kept' | 'already-kept' | 'conflicting';

/**
 * The pipeline's copy of the audit log's signed checkpoints (table `pipeline.audit_checkpoints`).
 * SQL throughout: the table maps no entity; it is written only through `keep`'s ON CONFLICT.
 */
@Injectable()
export class AuditCheckpointsRepository {
  /**
   * Keeps a checkpoint (the first one seen for a seq is never replaced: a different one later is
   * reported as conflicting) and forgets all but the newest AUDIT_CHECKPOINTS_KEPT.
   * SQL: ON CONFLICT DO NOTHING RETURNING, and a DELETE bounded by an OFFSET subquery.
   */
  async keep(
    manager: EntityManager,
    checkpoint: AuditCheckpointCreated,
    eventId: string,
  ): Promise<KeepOutcome> {
    const inserted = (await manager.query(
      `INSERT INTO pipeline.audit_checkpoints (seq, head_hash, time, key_id, signature, event_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO NOTHING RETURNING seq`,
      [checkpoint.seq, checkpoint.headHash, checkpoint.time, checkpoint.keyId, checkpoint.signature, eventId],
    )) as unknown[];
    if (inserted.length === 0) {
      const [existing] = (await manager.query(
        `SELECT head_hash, signature FROM pipeline.audit_checkpoints WHERE seq = $1`,
        [checkpoint.seq],
      )) as { head_hash: string; signature: string }[];
      return existing?.head_hash === checkpoint.headHash && existing.signature === checkpoint.signature
        ? 'already-kept'
        : 'conflicting';
    }
    await manager.query(
      `DELETE FROM pipeline.audit_checkpoints WHERE seq < (
         SELECT seq FROM pipeline.audit_checkpoints ORDER BY seq DESC OFFSET $1 LIMIT 1)`,
      [AUDIT_CHECKPOINTS_KEPT - 1],
    );
    return 'kept';
  }

  /** The kept checkpoints, newest first, in the shape `conveyor audit verify --checkpoint` reads. */
  async newest(manager: EntityManager, limit: number): Promise<AuditCheckpointCreated[]> {
    const rows = (await manager.query(
      `SELECT seq, head_hash, time, key_id, signature FROM pipeline.audit_checkpoints ORDER BY seq DESC LIMIT $1`,
      [limit],
    )) as { seq: string; head_hash: string; time: string; key_id: string; signature: string }[];
    return rows.map((row) => ({
      seq: Number(row.seq),
      headHash: row.head_hash,
      time: row.time,
      keyId: row.key_id,
      signature: row.signature,
    }));
  }
}
