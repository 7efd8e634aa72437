import { z } from 'zod';
import type { AuditEntry } from '../entry/audit-entry';

/**
 * What an export was asked for. Seq bounds are inclusive; fromTime is inclusive and toTime
 * exclusive (compared as instants). Unknown keys are refused so a verifier never ignores a filter.
 */
export const exportFiltersSchema = z.strictObject({
  fromSeq: z.number().int().positive().optional(),
  toSeq: z.number().int().positive().optional(),
  fromTime: z.iso.datetime({ offset: true }).optional(),
  toTime: z.iso.datetime({ offset: true }).optional(),
  types: z.array(z.string().min(1)).min(1).optional(),
  subject: z.string().min(1).optional(),
  correlationId: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  /** Entries about one thing: its subject or its correlation id equals this (e.g. a deployment's evidence). */
  relatedTo: z.string().min(1).optional(),
});
export type ExportFilters = z.infer<typeof exportFiltersSchema>;

const RANGE_KEYS: ReadonlySet<string> = new Set(['fromSeq', 'toSeq']);

/**
 * A contiguous export holds every entry of a seq range, so it can be verified link by link.
 * Any other filter (time, type, subject, …) makes it a subset whose entries are verified one by one.
 */
export function isContiguousExport(filters: ExportFilters): boolean {
  return Object.entries(filters).every(([key, value]) => value === undefined || RANGE_KEYS.has(key));
}

/** Whether an entry belongs in an export with these filters (the audit service's query must agree). */
export function entryMatchesFilters(entry: AuditEntry, filters: ExportFilters): boolean {
  if (filters.fromSeq !== undefined && entry.seq < filters.fromSeq) return false;
  if (filters.toSeq !== undefined && entry.seq > filters.toSeq) return false;
  if (filters.fromTime !== undefined && Date.parse(entry.time) < Date.parse(filters.fromTime)) return false;
  if (filters.toTime !== undefined && Date.parse(entry.time) >= Date.parse(filters.toTime)) return false;
  if (filters.types !== undefined && !filters.types.includes(entry.type)) return false;
  if (filters.subject !== undefined && entry.subject !== filters.subject) return false;
  if (filters.correlationId !== undefined && entry.correlationId !== filters.correlationId) return false;
  if (filters.actor !== undefined && entry.actor !== filters.actor) return false;
  if (
    filters.relatedTo !== undefined &&
    entry.subject !== filters.relatedTo &&
    entry.correlationId !== filters.relatedTo
  )
    return false;
  return true;
}
