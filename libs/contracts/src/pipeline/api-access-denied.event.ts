import { z } from 'zod';
import { defineEvent } from '../define-event';
import { isoTime } from '../common';

export const apiAccessDeniedEvent = defineEvent({
  name: 'api.access.denied',
  version: 1,
  description:
    'The HTTP API refused a call before it ran: no valid token (401) or a role that may not do it (403). ' +
    'Repeats of the same refusal (same caller, address, method, path and status) within a window are counted in ' +
    'one record instead of one record each.',
  producer: 'pipeline',
  schema: z.object({
    method: z.string().min(1).max(16),
    path: z.string().min(1).max(2000),
    status: z.union([z.literal(401), z.literal(403)]),
    /** Why, as the caller was told. */
    reason: z.string().max(2000),
    /** The token's name when it was valid (a 403), else null: an unknown token has no name. */
    caller: z.string().max(200).nullable(),
    role: z.string().max(50).nullable(),
    /** The client address as the service saw it (behind a proxy: the proxy's, unless trusted). */
    remoteAddress: z.string().max(100).nullable(),
    /** Refusals of this call in the window this record stands for (1: this one alone). */
    count: z.number().int().min(1),
    firstAt: isoTime,
    lastAt: isoTime,
  }),
});
