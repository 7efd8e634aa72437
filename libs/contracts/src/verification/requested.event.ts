import { z } from 'zod';
import { defineEvent } from '../define-event';
import { identifier, targetServer, uuid, version } from '../common';
import { verificationSpecSchema } from '../manifest/verification.schema';

/**
 * A server to check. `address` is where HTTP checks and smoke suites connect: the server
 * itself (`via: direct`) or the maintenance backend of its pool (`via: maintenance-backend`),
 * which testers reach while customers cannot; `headers` go with every HTTP check (e.g. the
 * header the maintenance backend routes on) and are given to smoke suites.
 */
export const verificationTarget = targetServer.required({ address: true }).extend({
  via: z.enum(['direct', 'maintenance-backend']).default('direct'),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'), z.string().max(512))
    .optional(),
});
export type VerificationTarget = z.infer<typeof verificationTarget>;

export const verificationRequestedEvent = defineEvent({
  name: 'verification.requested',
  version: 1,
  description: 'Check these servers (in maintenance) before they return online.',
  producer: 'orchestrator',
  schema: z.object({
    verificationId: uuid,
    deploymentId: uuid,
    service: identifier,
    environment: identifier,
    batchIndex: z.number().int().min(0),
    expectedVersion: version,
    servers: z.array(verificationTarget).min(1).max(256),
    /** From the service's manifest (trusted configuration): smoke commands come only from here. */
    spec: verificationSpecSchema,
  }),
});
export type VerificationRequested = z.infer<typeof verificationRequestedEvent.schema>;
