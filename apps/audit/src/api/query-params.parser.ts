import { z } from 'zod';
import { EXPORT_FORMATS, type ExportFilters, type ExportFormat } from '@conveyor/audit-chain';
import { timeRangeProblem } from '@conveyor/contracts';
import { decodeCursor } from './page-cursor';

/** A query string as Express hands it over. */
export type QueryParams = Record<string, unknown>;

export interface ParamProblem {
  readonly parameter: string;
  readonly message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: ParamProblem[] };

export interface EventsQuery {
  readonly filters: ExportFilters;
  readonly limit: number;
  readonly afterSeq: number;
}

export interface ExportQuery {
  readonly filters: ExportFilters;
  readonly format: ExportFormat;
}

const FILTER_PARAMS = [
  'fromSeq',
  'toSeq',
  'fromTime',
  'toTime',
  'type',
  'subject',
  'correlationId',
  'actor',
] as const;
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1_000;
/** The same rule as the manifest's filters (so every accepted filter can be signed and verified). */
const isoDateTime = z.iso.datetime({ offset: true });
const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;

class ParamReader {
  readonly problems: ParamProblem[] = [];

  constructor(private readonly query: QueryParams) {}

  fail(parameter: string, message: string): undefined {
    this.problems.push({ parameter, message });
    return undefined;
  }

  /** One value; a repeated parameter or an empty one is a problem. */
  single(name: string): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(name, 'must be given once, as a plain value');
    if (value === '') return this.fail(name, 'must not be empty');
    return value;
  }

  /** Repeated (`type=a&type=b`) or comma-separated (`type=a,b`) values. */
  list(name: string): string[] | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    const raw = Array.isArray(value) ? value : [value];
    if (!raw.every((item): item is string => typeof item === 'string'))
      return this.fail(name, 'must be plain values');
    const items = raw.flatMap((item) => item.split(',')).map((item) => item.trim());
    if (items.length === 0 || items.some((item) => item === ''))
      return this.fail(name, 'must not hold an empty value');
    return items;
  }

  positiveInt(name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const text = this.single(name);
    if (text === undefined) return undefined;
    const value = POSITIVE_INT.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value > max)
      return this.fail(name, `must be a whole number from 1 to ${max}, got "${text}"`);
    return value;
  }

  time(name: string): string | undefined {
    const text = this.single(name);
    if (text === undefined) return undefined;
    if (!isoDateTime.safeParse(text).success) {
      return this.fail(
        name,
        `must be an ISO-8601 date-time with Z or an offset (e.g. 2025-03-01T00:00:00Z), got "${text}"`,
      );
    }
    // PostgreSQL has no year 0: a date it cannot hold is the caller's mistake (400), not ours (500).
    const outOfRange = timeRangeProblem(text);
    if (outOfRange !== null) return this.fail(name, outOfRange);
    return text;
  }

  unknown(allowed: readonly string[]): void {
    for (const name of Object.keys(this.query)) {
      if (!allowed.includes(name)) this.fail(name, `is not a known parameter (known: ${allowed.join(', ')})`);
    }
  }
}

function readFilters(reader: ParamReader): ExportFilters {
  const filters: ExportFilters = {
    fromSeq: reader.positiveInt('fromSeq'),
    toSeq: reader.positiveInt('toSeq'),
    fromTime: reader.time('fromTime'),
    toTime: reader.time('toTime'),
    types: reader.list('type'),
    subject: reader.single('subject'),
    correlationId: reader.single('correlationId'),
    actor: reader.single('actor'),
  };
  if (filters.fromSeq !== undefined && filters.toSeq !== undefined && filters.fromSeq > filters.toSeq) {
    reader.fail('toSeq', `must not be below fromSeq (${filters.fromSeq})`);
  }
  if (
    filters.fromTime !== undefined &&
    filters.toTime !== undefined &&
    Date.parse(filters.toTime) <= Date.parse(filters.fromTime)
  ) {
    reader.fail('toTime', `must be after fromTime (${filters.fromTime})`);
  }
  return withoutUndefined(filters);
}

/** Filters as the manifest records them: absent filters are left out, not undefined. */
function withoutUndefined(filters: ExportFilters): ExportFilters {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined),
  ) as ExportFilters;
}

/** `GET /audit/events`: filters, `limit` (1–1000, default 100) and the `cursor` of the previous page. */
export function parseEventsQuery(query: QueryParams): Parsed<EventsQuery> {
  const reader = new ParamReader(query);
  reader.unknown([...FILTER_PARAMS, 'limit', 'cursor']);
  const filters = readFilters(reader);
  const limit = reader.positiveInt('limit', MAX_LIMIT) ?? DEFAULT_LIMIT;
  const cursorText = reader.single('cursor');
  let afterSeq = 0;
  if (cursorText !== undefined) {
    const cursor = decodeCursor(cursorText);
    if (cursor.ok) afterSeq = cursor.afterSeq;
    else reader.fail('cursor', cursor.message);
  }
  return reader.problems.length > 0
    ? { ok: false, problems: reader.problems }
    : { ok: true, value: { filters, limit, afterSeq } };
}

/** `GET /audit/export`: filters and `format` (ndjson, the default, or csv). */
export function parseExportQuery(query: QueryParams): Parsed<ExportQuery> {
  const reader = new ParamReader(query);
  reader.unknown([...FILTER_PARAMS, 'format']);
  const filters = readFilters(reader);
  const format = readFormat(reader);
  return reader.problems.length > 0
    ? { ok: false, problems: reader.problems }
    : { ok: true, value: { filters, format } };
}

/** `GET /audit/evidence/:deploymentId`: only `format`. */
export function parseEvidenceQuery(deploymentId: string, query: QueryParams): Parsed<ExportQuery> {
  const reader = new ParamReader(query);
  reader.unknown(['format']);
  const format = readFormat(reader);
  if (deploymentId.trim() === '' || deploymentId.length > 200)
    reader.fail('deploymentId', 'must be 1 to 200 characters');
  return reader.problems.length > 0
    ? { ok: false, problems: reader.problems }
    : { ok: true, value: { filters: { relatedTo: deploymentId }, format } };
}

function readFormat(reader: ParamReader): ExportFormat {
  const text = reader.single('format');
  if (text === undefined) return 'ndjson';
  if ((EXPORT_FORMATS as readonly string[]).includes(text)) return text as ExportFormat;
  reader.fail('format', `must be one of ${EXPORT_FORMATS.join(', ')}, got "${text}"`);
  return 'ndjson';
}
