import { z } from 'zod';
import { defineEvent } from '../define-event';
import { targetServer, uuid, version } from '../common';
import { verificationSpecSchema } from '../manifest/verification.schema';

/** Check these servers (in maintenance) before they return online. */
export const verificationRequestedEvent = defineEvent({
  name: 'verification.requested',
  version: 1,
  description: 'Check these servers (in maintenance) before they return online.',
  schema: z.object({
  verificationId: uuid,
  deploymentId: uuid,
  batchIndex: z.number().int().min(0),
  expectedVersion: version,
  servers: z.array(targetServer.required({ address: true })).min(1),
  spec: verificationSpecSchema,
}),
});
export type VerificationRequested = z.infer<typeof verificationRequestedEvent.schema>;
