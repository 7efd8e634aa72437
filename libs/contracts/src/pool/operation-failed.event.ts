import { z } from 'zod';
import { defineEvent } from '../define-event';
import { nonEmpty, uuid } from '../common';

export const poolOperationFailedEvent = defineEvent({
  name: 'pool.operation.failed',
  version: 1,
  description: 'A pool operation was refused or failed; nothing was left half-done.',
  producer: 'pool-manager',
  schema: z.object({
    operationId: uuid,
    deploymentId: uuid.optional(),
    pool: z.string(),
    operation: z.enum(['drain', 'enable']),
    reason: z.enum([
      'capacity_floor',
      'timeout',
      'unknown_pool',
      'unknown_server',
      'instance_unreachable',
      'invalid_request',
      'haproxy_error',
    ]),
    detail: nonEmpty,
    instance: z.string().optional(),
  }),
});
export type PoolOperationFailed = z.infer<typeof poolOperationFailedEvent.schema>;
