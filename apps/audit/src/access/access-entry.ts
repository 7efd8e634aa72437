import type { AuditApiAction, EventInput } from '@conveyor/contracts';
import type { ApiCaller } from '@conveyor/service-kit';

type Filters = EventInput['audit.access.recorded']['filters'];

/** What an auditor asked for: the action, the request's path with its query, the parsed filters. */
export interface AuditAccess {
  readonly action: AuditApiAction;
  /** The request's URL path and query string, as sent. */
  readonly path: string;
  readonly filters: Readonly<Record<string, unknown>>;
  readonly format?: 'ndjson' | 'csv';
  readonly exportId?: string;
}

const MAX_FILTERS = 20;
const MAX_TEXT = 500;

/** The route an `/audit/*` path is (what a refused request was about). Pure. */
export function actionOfPath(path: string): AuditApiAction {
  const route = path.split('?')[0] ?? '';
  if (route.startsWith('/audit/export/') || route === '/audit/export') return 'export';
  if (route.startsWith('/audit/exports/')) return 'manifest';
  if (route.startsWith('/audit/evidence/')) return 'evidence';
  if (route === '/audit/verify') return 'verify';
  return 'events';
}

/**
 * Filters as the entry records them: strings, numbers and lists of strings; anything else (a
 * nested query object) as its JSON text. At most 20, each at most 500 characters. Pure.
 */
export function recordableFilters(filters: Readonly<Record<string, unknown>>): Filters {
  const out: Filters = {};
  for (const [key, value] of Object.entries(filters).slice(0, MAX_FILTERS)) {
    if (value === undefined) continue;
    const name = key.slice(0, 100);
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
    else if (typeof value === 'string') out[name] = value.slice(0, MAX_TEXT);
    else if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string'))
      out[name] = value.slice(0, MAX_FILTERS).map((item) => item.slice(0, MAX_TEXT));
    else out[name] = (JSON.stringify(value) ?? String(value)).slice(0, MAX_TEXT);
  }
  return out;
}

/** The data of `audit.access.recorded` for an answered (200) or refused (403) request. Pure. */
export function accessRecord(
  caller: ApiCaller,
  access: AuditAccess,
  status: number,
  reason?: string,
): EventInput['audit.access.recorded'] {
  return {
    action: access.action,
    method: 'GET',
    path: access.path.slice(0, 2000) || '/',
    status,
    role: caller.role,
    tokenId: caller.tokenId,
    filters: recordableFilters(access.filters),
    ...(access.format !== undefined ? { format: access.format } : {}),
    ...(access.exportId !== undefined ? { exportId: access.exportId } : {}),
    ...(reason !== undefined ? { reason: reason.slice(0, 2000) } : {}),
  };
}
