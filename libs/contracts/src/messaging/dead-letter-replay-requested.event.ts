import { z } from 'zod';
import { defineEvent } from '../define-event';

const serviceName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    'must be a service name like pool-manager (lower-case letters, digits, -)',
  );

/**
 * An operator asked a service to send dead letters back through its retry queue
 * (`conveyor dead-letters replay`). The service that owns `queue` does it; the audit log records
 * who asked (the envelope's actor), which message and which queue.
 */
export const deadLetterReplayRequestedEvent = defineEvent({
  name: 'deadletter.replay.requested',
  version: 1,
  description:
    'An operator asked a service to replay one dead-lettered message (by id) or all of its dead-letter queue.',
  producer: 'pipeline',
  schema: z
    .object({
      service: serviceName,
      /** The dead-letter queue: always `conveyor.<service>.dead-letter`. */
      queue: z.string().min(1).max(255),
      /** The message id (the event id) to replay, or null with `all`. */
      messageId: z.string().min(1).max(200).nullable(),
      all: z.boolean(),
    })
    .refine((data) => data.queue === `conveyor.${data.service}.dead-letter`, {
      message: 'queue must be the service dead-letter queue conveyor.<service>.dead-letter',
      path: ['queue'],
    })
    .refine((data) => (data.messageId === null) === data.all, {
      message: 'give either a messageId or all: true, not both and not neither',
      path: ['messageId'],
    }),
});
