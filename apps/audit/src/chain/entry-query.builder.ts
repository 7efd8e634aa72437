import type { ExportFilters } from '@conveyor/audit-chain';

export interface EntryPageQuery {
  readonly filters: ExportFilters;
  /** Only entries with a greater seq (keyset pagination). */
  readonly afterSeq: number;
  /** Only entries up to this seq (the head when an export started), if set. */
  readonly upToSeq?: number;
  readonly limit: number;
}

export interface SqlQuery {
  readonly text: string;
  readonly params: unknown[];
}

export const ENTRY_COLUMNS =
  'seq, event_id, type, subject, correlation_id, actor, time, payload, prev_hash, hash';

/**
 * One page of entries matching the filters, in seq order. Matches `entryMatchesFilters` of
 * @conveyor/audit-chain, which the offline verifier applies: seq bounds inclusive, fromTime
 * inclusive and toTime exclusive as instants, exact type/subject/correlation id/actor, and
 * relatedTo as "subject or correlation id". Pure.
 */
export function buildEntryPageQuery(query: EntryPageQuery): SqlQuery {
  const params: unknown[] = [];
  const where: string[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const { filters } = query;
  const lowest = Math.max(query.afterSeq, (filters.fromSeq ?? 1) - 1);
  where.push(`seq > ${bind(lowest)}`);
  const highest = [query.upToSeq, filters.toSeq].filter((value): value is number => value !== undefined);
  if (highest.length > 0) where.push(`seq <= ${bind(Math.min(...highest))}`);
  if (filters.fromTime !== undefined) where.push(`occurred_at >= ${bind(filters.fromTime)}::timestamptz`);
  if (filters.toTime !== undefined) where.push(`occurred_at < ${bind(filters.toTime)}::timestamptz`);
  if (filters.types !== undefined) where.push(`type = ANY(${bind(filters.types)}::text[])`);
  if (filters.subject !== undefined) where.push(`subject = ${bind(filters.subject)}`);
  if (filters.correlationId !== undefined) where.push(`correlation_id = ${bind(filters.correlationId)}`);
  if (filters.actor !== undefined) where.push(`actor = ${bind(filters.actor)}`);
  if (filters.relatedTo !== undefined) {
    const id = bind(filters.relatedTo);
    where.push(`(subject = ${id} OR correlation_id = ${id})`);
  }
  const text = `SELECT ${ENTRY_COLUMNS} FROM audit.entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ${bind(query.limit)}`;
  return { text, params };
}
