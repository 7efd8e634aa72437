import {
  appendBatch,
  canonicalJson,
  type AuditEntry,
  type ChainHead,
  type ExportFilters,
  type NewAuditEntry,
} from '@conveyor/audit-chain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { planBatch } from './batch-plan';
import { buildEntryPageQuery } from './entry-query.builder';
import { rowToEntry, type EntryRow } from './entry-row.mapper';

export interface AppendOutcome {
  readonly appended: readonly AuditEntry[];
  readonly skipped: number;
  readonly head: ChainHead | null;
}

const INSERT_ENTRIES = `INSERT INTO audit.entries
  (seq, event_id, type, subject, correlation_id, actor, time, occurred_at, payload, prev_hash, hash)
  SELECT s, e, t, su, c, a, ti, ti::timestamptz, p, ph, h
  FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
    AS u(s, e, t, su, c, a, ti, p, ph, h)`;

/**
 * The only place that reads and writes the chain's tables; callers pass a manager of the writer
 * role's data source (`AUDIT_WRITER`). SQL throughout: the audit schema maps no entities — the
 * chain is hashed over its columns exactly as stored, and the writer role may only SELECT and INSERT.
 */
@Injectable()
export class AuditEntriesRepository {
  /**
   * Appends a batch in the caller's transaction (`writer.transaction(manager => …)`, one per batch),
   * holding the head row (SELECT … FOR UPDATE) until it commits, so two batches — in this process
   * or another instance — can never link to the same head. Entries whose event id is already in
   * the chain (redeliveries) are skipped before hashing. SQL: row lock and a bulk `unnest` insert.
   */
  async append(manager: EntityManager, candidates: readonly NewAuditEntry[]): Promise<AppendOutcome> {
    if (manager.queryRunner?.isTransactionActive !== true)
      throw new Error('AuditEntriesRepository.append must run inside a transaction (it locks the head row)');
    const head = await this.lockHead(manager);
    const ids = candidates.map((entry) => entry.eventId);
    const existing = (await manager.query(
      `SELECT event_id FROM audit.entries WHERE event_id = ANY($1::uuid[])`,
      [ids],
    )) as { event_id: string }[];
    const plan = planBatch(candidates, new Set(existing.map((row) => row.event_id)));
    if (plan.fresh.length === 0) return { appended: [], skipped: plan.skipped, head };
    const appended = appendBatch(head, plan.fresh);
    await this.insert(manager, appended);
    const last = appended[appended.length - 1];
    if (last === undefined) throw new Error('appendBatch returned no entry for a non-empty batch');
    await manager.query(`UPDATE audit.chain_head SET seq = $1, hash = $2`, [last.seq, last.hash]);
    return { appended, skipped: plan.skipped, head: { seq: last.seq, hash: last.hash } };
  }

  /** The chain's head, or null while the chain is empty. */
  async head(manager: EntityManager): Promise<ChainHead | null> {
    const [row] = (await manager.query(`SELECT seq, hash FROM audit.chain_head`)) as {
      seq: string;
      hash: string;
    }[];
    return row === undefined || row.seq === '0' ? null : { seq: Number(row.seq), hash: row.hash };
  }

  /** One page of entries matching the filters after `afterSeq` (SQL built by `buildEntryPageQuery`). */
  async page(
    manager: EntityManager,
    filters: ExportFilters,
    afterSeq: number,
    limit: number,
    upToSeq?: number,
  ): Promise<AuditEntry[]> {
    const query = buildEntryPageQuery({ filters, afterSeq, limit, upToSeq });
    const rows = (await manager.query(query.text, query.params)) as EntryRow[];
    return rows.map(rowToEntry);
  }

  /** Every matching entry up to `upToSeq`, page by page: memory does not grow with the result. */
  async *stream(
    manager: EntityManager,
    filters: ExportFilters,
    upToSeq: number,
    pageSize: number,
  ): AsyncGenerator<AuditEntry> {
    let afterSeq = 0;
    for (;;) {
      const entries = await this.page(manager, filters, afterSeq, pageSize, upToSeq);
      yield* entries;
      const last = entries[entries.length - 1];
      if (last === undefined || entries.length < pageSize) return;
      afterSeq = last.seq;
    }
  }

  private async lockHead(manager: EntityManager): Promise<ChainHead | null> {
    const [row] = (await manager.query(`SELECT seq, hash FROM audit.chain_head FOR UPDATE`)) as {
      seq: string;
      hash: string;
    }[];
    if (row === undefined) throw new Error('audit.chain_head has no row: the migration did not run');
    return row.seq === '0' ? null : { seq: Number(row.seq), hash: row.hash };
  }

  private async insert(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
    const column = <T>(pick: (entry: AuditEntry) => T): T[] => entries.map(pick);
    await manager.query(INSERT_ENTRIES, [
      column((e) => e.seq),
      column((e) => e.eventId),
      column((e) => e.type),
      column((e) => e.subject),
      column((e) => e.correlationId),
      column((e) => e.actor),
      column((e) => e.time),
      column((e) => canonicalJson(e.payload)),
      column((e) => e.prevHash),
      column((e) => e.hash),
    ]);
  }
}
