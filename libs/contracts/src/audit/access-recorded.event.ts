import { z } from 'zod';
import { uuid } from '../common';
import { defineEvent } from '../define-event';

export const AUDIT_API_ACTIONS = ['events', 'export', 'evidence', 'manifest', 'verify'] as const;
export type AuditApiAction = (typeof AUDIT_API_ACTIONS)[number];

/**
 * Someone used the auditor API: who (the entry's actor, the token's holder), what, with which
 * filters. The audit service appends it to its own chain before it answers; refusals of a known
 * person (403) are recorded too.
 */
export const auditAccessRecordedEvent = defineEvent({
  name: 'audit.access.recorded',
  version: 1,
  producer: 'audit',
  description:
    'Someone queried, exported or verified the audit log (or was refused): who, what, which filters.',
  schema: z.object({
    action: z.enum(AUDIT_API_ACTIONS),
    method: z.literal('GET'),
    path: z.string().min(1).max(2000),
    /** 200: answered; 403: refused to a known token of the wrong role. */
    status: z.number().int().min(100).max(599),
    role: z.string().max(50),
    tokenId: uuid.nullable(),
    /** The filters as parsed (what an export's manifest records), and the format. */
    filters: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
    format: z.enum(['ndjson', 'csv']).optional(),
    exportId: uuid.optional(),
    reason: z.string().max(2000).optional(),
  }),
});
