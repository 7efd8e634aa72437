import { z } from 'zod';
import { EXPORT_FORMATS, type ExportFilters, type ExportFormat } from '@conveyor/audit-chain';
import { timeRangeProblem } from '@conveyor/contracts';
import { decodeCursor } from './page-cursor';

/**
 * The auditor's query strings as zod schemas, read by service-kit's `validQuery` pipe: a 400
 * `{ error: 'invalid query', problems: ["query.<parameter>: <why>"] }` names every wrong parameter.
 */
export interface EventsQuery {
  readonly filters: ExportFilters;
  readonly limit: number;
  readonly afterSeq: number;
}

export interface ExportQuery {
  readonly filters: ExportFilters;
  readonly format: ExportFormat;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1_000;
/** The same rule as the manifest's filters (so every accepted filter can be signed and verified). */
const isoDateTime = z.iso.datetime({ offset: true });
const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;

/** One value; a repeated parameter (an array) or an empty one is a problem. */
const single = z
  .string({ error: 'must be given once, as a plain value' })
  .min(1, { error: 'must not be empty' });

/** Repeated (`type=a&type=b`) or comma-separated (`type=a,b`) values. */
const list = z
  .union([z.string(), z.array(z.string())], { error: 'must be plain values' })
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')))
  .transform((items) => items.map((item) => item.trim()))
  .refine((items) => items.length > 0 && items.every((item) => item !== ''), {
    error: 'must not hold an empty value',
  });

const positiveInt = (max = Number.MAX_SAFE_INTEGER) =>
  single.transform((text, context) => {
    const value = POSITIVE_INT.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(value) && value <= max) return value;
    context.addIssue({ code: 'custom', message: `must be a whole number from 1 to ${max}, got "${text}"` });
    return z.NEVER;
  });

const time = single.superRefine((text, context) => {
  if (!isoDateTime.safeParse(text).success) {
    context.addIssue({
      code: 'custom',
      message: `must be an ISO-8601 date-time with Z or an offset (e.g. 2025-03-01T00:00:00Z), got "${text}"`,
    });
    return;
  }
  // PostgreSQL has no year 0: a date it cannot hold is the caller's mistake (400), not ours (500).
  const outOfRange = timeRangeProblem(text);
  if (outOfRange !== null) context.addIssue({ code: 'custom', message: outOfRange });
});

const format = z
  .enum(EXPORT_FORMATS, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `must be one of ${EXPORT_FORMATS.join(', ')}, got "${issue.input}"`
        : 'must be given once, as a plain value',
  })
  .optional()
  .transform((value): ExportFormat => value ?? 'ndjson');

const cursor = single.transform((text, context) => {
  const decoded = decodeCursor(text);
  if (decoded.ok) return decoded.afterSeq;
  context.addIssue({ code: 'custom', message: decoded.message });
  return z.NEVER;
});

const filterParameters = {
  fromSeq: positiveInt().optional(),
  toSeq: positiveInt().optional(),
  fromTime: time.optional(),
  toTime: time.optional(),
  type: list.optional(),
  subject: single.optional(),
  correlationId: single.optional(),
  actor: single.optional(),
};

/** An object of exactly these parameters: any other is named with the list of known ones. */
function parameters<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(', ');
  const unknownParameter = z.unknown().refine(() => false, {
    error: `is not a known parameter (known: ${known})`,
  });
  return z.object(shape).catchall(unknownParameter);
}

type FilterParameters = {
  fromSeq?: number;
  toSeq?: number;
  fromTime?: string;
  toTime?: string;
  type?: string[];
  subject?: string;
  correlationId?: string;
  actor?: string;
};

function checkRanges(query: FilterParameters, context: z.RefinementCtx): void {
  if (query.fromSeq !== undefined && query.toSeq !== undefined && query.fromSeq > query.toSeq) {
    context.addIssue({
      code: 'custom',
      path: ['toSeq'],
      message: `must not be below fromSeq (${query.fromSeq})`,
    });
  }
  if (
    query.fromTime !== undefined &&
    query.toTime !== undefined &&
    Date.parse(query.toTime) <= Date.parse(query.fromTime)
  ) {
    context.addIssue({
      code: 'custom',
      path: ['toTime'],
      message: `must be after fromTime (${query.fromTime})`,
    });
  }
}

/** Filters as the manifest records them: absent filters are left out, not undefined. */
function filtersOf(query: FilterParameters): ExportFilters {
  const filters: ExportFilters = {
    fromSeq: query.fromSeq,
    toSeq: query.toSeq,
    fromTime: query.fromTime,
    toTime: query.toTime,
    types: query.type,
    subject: query.subject,
    correlationId: query.correlationId,
    actor: query.actor,
  };
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined),
  ) as ExportFilters;
}

/** `GET /audit/events`: filters, `limit` (1–1000, default 100) and the `cursor` of the previous page. */
export const eventsQuery = parameters({
  ...filterParameters,
  limit: positiveInt(MAX_LIMIT).optional(),
  cursor: cursor.optional(),
})
  .superRefine(checkRanges)
  .transform(
    (query): EventsQuery => ({
      filters: filtersOf(query),
      limit: query.limit ?? DEFAULT_LIMIT,
      afterSeq: query.cursor ?? 0,
    }),
  );

/** `GET /audit/export`: filters and `format` (ndjson, the default, or csv). */
export const exportQuery = parameters({ ...filterParameters, format })
  .superRefine(checkRanges)
  .transform((query): ExportQuery => ({ filters: filtersOf(query), format: query.format }));

/** `GET /audit/evidence/:deploymentId`: only `format`. */
export const evidenceQuery = parameters({ format }).transform((query) => query.format);

/** The `:deploymentId` of an evidence pack. */
export const deploymentIdParam = z
  .string()
  .refine((id) => id.trim() !== '' && id.length <= 200, { error: 'must be 1 to 200 characters' });
